#!/usr/bin/env bash
# Usage: [PYTHON=...] tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py args]
# Env: PYTHON (python): the interpreter that runs torch.distributed.run and
#      the workers, e.g. PYTHON=/path/to/venv/bin/python;
#      NNODES (1), NODE_RANK (0), PORT (29500), MASTER_ADDR (127.0.0.1).
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "$0: Python interpreter '$PYTHON' not found;" \
         "set PYTHON=/path/to/python (the one with torch and mmreid)" >&2
    exit 127
fi

PYTHONPATH="$(dirname $0)/..":$PYTHONPATH \
"$PYTHON" -m torch.distributed.run \
    --nnodes=$NNODES \
    --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR \
    --nproc_per_node=$GPUS \
    --master_port=$PORT \
    $(dirname "$0")/test.py \
    $CONFIG \
    $CHECKPOINT \
    --launcher pytorch ${@:4}
