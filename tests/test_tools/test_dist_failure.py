# Copyright (c) mmreid contributors. All rights reserved.
"""A rank that fails ends a 2-process ``tools/dist_train.sh`` job with its
error; the other rank does not hang in a collective."""
import os
import subprocess
import sys
import time

from .test_train_test import ROOT, TINY


def test_failing_rank_ends_the_job_with_its_error(tmp_path):
    cfg = tmp_path / 'fail.py'
    cfg.write_text(
        TINY.format(root=ROOT, data=tmp_path / 'demo') +
        "custom_imports = dict(imports=['tests.test_engine.fault_hooks'],\n"
        "                      allow_failed_imports=False)\n"
        "custom_hooks = [dict(type='SyncBuffersHook'),\n"
        "                dict(type='FailOnRankHook', rank=1, at_iter=2)]\n")
    env = dict(os.environ, PORT='29531', PYTHON=sys.executable)
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    start = time.monotonic()
    # far below the gloo timeout (30 min): a hang would hit this instead
    proc = subprocess.run(
        ['bash', 'tools/dist_train.sh', str(cfg), '2', '--work-dir',
         str(tmp_path / 'work')],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    elapsed = time.monotonic() - start
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert 'deliberate failure on rank 1 before iteration 2' in out
    print(f'the job ended {elapsed:.1f} s after its launch')
