# Copyright (c) mmreid contributors. All rights reserved.
"""The shell scripts start Python through an interpreter variable.

A script that runs ``torchrun``, ``python`` or ``pip`` by name picks up
whatever PATH offers (or nothing, in a virtualenv that was not activated)
instead of the interpreter the user chose with ``PYTHON=...``.
"""
import glob
import os
import os.path as osp
import re
import subprocess

import pytest

from .test_train_test import ROOT, path_without_python

# Commands that must come from $PYTHON (`$PYTHON -m torch.distributed.run`,
# `$PYTHON -m pip`, `$PYTHON -u tools/train.py`), never from PATH.
BY_NAME = re.compile(r'(?:^|(?<=[\s;|&(`]))'
                     r'(torchrun|python[0-9.]*|pip[0-9.]*)'
                     r'(?=$|[\s;|&)`])')
MODULE_FLAG = re.compile(r'(?:^|\s)-m\s+$')  # `$PY -m pip`: a module
HEREDOC = re.compile(r'<<-?\s*([\'"]?)(\w+)\1')
QUOTED = re.compile(r'\'[^\']*\'|"(?:[^"\\]|\\.)*"')
COMMENT = re.compile(r'(?:^|(?<=\s))#.*$')


def commands_by_name(text):
    """``(line number, name)`` of every ``torchrun``/``python``/``pip`` run
    by name in shell source ``text``: comments, quoted strings and
    here-document bodies (e.g. Python code fed to ``$PY -``) are skipped."""
    found = []
    heredoc_end = None
    for num, line in enumerate(text.splitlines(), 1):
        if heredoc_end is not None:
            if line.strip() == heredoc_end:
                heredoc_end = None
            continue
        code = COMMENT.sub('', QUOTED.sub(' ', line))
        found += [(num, m.group(1)) for m in BY_NAME.finditer(code)
                  if not MODULE_FLAG.search(code[:m.start()])]
        start = HEREDOC.search(line)
        if start:
            heredoc_end = start.group(2)
    return found


def shell_scripts():
    scripts = sorted(
        glob.glob(osp.join(ROOT, 'tools', '**', '*.sh'), recursive=True))
    return scripts + [osp.join(ROOT, '.ci', 'run')]


@pytest.mark.parametrize('src, names', [
    ('torchrun \\\n    --nnodes=1 x.py', ['torchrun']),
    ('    ${SRUN_ARGS} \\\n    python -u tools/train.py', ['python']),
    ('srun -p p python3 -u tools/test.py', ['python3']),
    ('X=$(python -c "print(1)")', ['python']),
    ('pip install -e . && python3.11 -V', ['pip', 'python3.11']),
    ('cd x; torchrun a.py', ['torchrun']),
    ('"$PYTHON" -m torch.distributed.run x', []),
    ('PYTHON=${PYTHON:-python}\nPY=${PYTHON:-python3}', []),
    ('PYTHONPATH=.:$PYTHONPATH $PY -m pip install x', []),
    ('"$PYTHON" -m pip install x && pip list', ['pip']),
    ('# runs torchrun or python  \necho "install python first"', []),
    ("$PY - <<'EOF'\nimport sys\npython = 1\nEOF\ntorchrun", ['torchrun']),
])
def test_the_check_finds_commands_run_by_name(src, names):
    assert [n for _, n in commands_by_name(src)] == names


def test_shell_scripts_start_python_through_an_interpreter_variable():
    scripts = shell_scripts()
    assert osp.join(ROOT, 'tools', 'dist_train.sh') in scripts
    bad = []
    for path in scripts:
        with open(path) as f:
            for num, name in commands_by_name(f.read()):
                bad.append(f'{osp.relpath(path, ROOT)}:{num}: {name}')
    assert not bad, ('run through ${PYTHON:-python} (`$PYTHON -m '
                     'torch.distributed.run`, `$PYTHON -m pip`) instead: '
                     + ', '.join(bad))


@pytest.mark.parametrize('script, args', [
    ('tools/dist_train.sh', ['cfg.py', '2']),
    ('tools/dist_test.sh', ['cfg.py', 'ckpt.pth', '2']),
])
@pytest.mark.parametrize('python', [None, '/nonexistent/bin/python'])
def test_dist_scripts_name_a_missing_interpreter(tmp_path, script, args,
                                                 python):
    bin_dir = path_without_python(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != 'PYTHON'}
    env['PATH'] = bin_dir
    if python:
        env['PYTHON'] = python
    proc = subprocess.run([osp.join(bin_dir, 'bash'), script] + args,
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 127, proc.stderr
    want = python or 'python'
    assert f"{script}: Python interpreter '{want}' not found" in proc.stderr
    assert 'set PYTHON=' in proc.stderr
