#!/usr/bin/env bash
# Install everything mmreid needs on a fresh machine, skipping what is there.
#
#   bash tools/misc/install_deps.sh
#
# Steps (each one skipped when already satisfied, so a second run rebuilds
# nothing):
#   1. torch/torchvision (requirements/torch.txt; a CUDA build, runs on CPU)
#   2. build tools for mmcv (requirements/build.txt)
#   3. mmcv 2.1.0 *with ops* compiled from source (15-30 min on 2 cores; pip
#      caches the wheel afterwards); mmpose needs mmcv.ops
#   4. chumpy (an mmpose requirement that needs --no-build-isolation)
#   5. the OpenMMLab stack, runtime and test requirements
#   6. mmreid itself, editable
# Set PYTHON to choose the interpreter (default: python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
PIP="$PY -m pip"
PIN="-c requirements/constraints.txt"
STAMP=.deps-stamp
HASH=$(cat requirements/*.txt requirements.txt setup.py tools/misc/install_deps.sh | sha1sum | cut -c1-16)

if [ -f "$STAMP" ] && [ "$(cat $STAMP)" = "$HASH" ] && \
   $PY -c "import mmcv.ops, mmpose, mmpretrain, mmreid" 2>/dev/null; then
  echo "[install] dependencies up to date ($STAMP)"
  exit 0
fi

have() {  # have "pkg==ver" ... : all installed at these exact versions
  $PY - "$@" <<'PYEOF'
import sys
from importlib.metadata import version, PackageNotFoundError
for spec in sys.argv[1:]:
    name, want = spec.split('==')
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PYEOF
}

t0=$(date +%s)
if have torch==2.4.1 torchvision==0.19.1; then
  echo "[install] torch 2.4.1 / torchvision 0.19.1 present"
else
  echo "[install] torch (about 2.5 GB with its CUDA libraries)"
  $PIP install $PIN -r requirements/torch.txt
fi

$PIP install -q $PIN -r requirements/build.txt

if have mmcv==2.1.0 && $PY -c "import mmcv.ops" 2>/dev/null; then
  echo "[install] mmcv 2.1.0 with ops present"
else
  echo "[install] building mmcv 2.1.0 with ops (15-30 min on 2 cores)"
  MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-2} \
    $PIP install $PIN --no-build-isolation mmcv==2.1.0
fi

if ! have chumpy==0.70; then
  $PIP install $PIN --no-build-isolation chumpy==0.70
fi

$PIP install -q $PIN -r requirements/mminstall.txt \
  -r requirements/runtime.txt -r requirements/tests.txt
$PIP install -q --no-deps --no-build-isolation -e .

$PY -c "import mmcv.ops, mmdet, mmpose, mmpretrain, mmreid; \
print('[install] ok: mmcv', mmcv.__version__, 'mmpose', mmpose.__version__, \
'mmpretrain', mmpretrain.__version__, 'mmreid', mmreid.__version__)"
echo "$HASH" > "$STAMP"
echo "[install] done in $(( $(date +%s) - t0 )) s"
