# Copyright (c) mmreid contributors. All rights reserved.
"""IP-GAN's per-network objectives under DDP (2 CPU processes, separate
DDP per network): the step of every generator-side network is the mean of
the processes' own steps, although DDP reduces one backward per forward."""
import json
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
WORKER = osp.join(osp.dirname(osp.abspath(__file__)),
                  'ipgan_dist_worker.py')


def test_objectives_are_averaged_across_processes(tmp_path):
    out = tmp_path / 'result.json'
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    proc = subprocess.run([
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node',
        '2', '--master_port', '29541', WORKER, str(out)
    ], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())
    for name in ('attribute_encoder', 'generator'):
        r = result[name]
        assert r['step'] > 1e-4, name  # the networks did move
        assert r['ranks_differ'] == 0, name
        assert r['error'] < 1e-6, (name, r)
