# Copyright (c) mmreid contributors. All rights reserved.
"""Run by test_ipgan_dist.py under ``torch.distributed.run`` (2 CPU
processes): one IP-GAN step with separate DDP per network against the
per-process single-network steps averaged (SGD: the DDP step is their
mean)."""
import copy
import json
import os.path as osp
import sys

import torch
import torch.distributed as dist
from mmengine.logging import MessageHub
from mmengine.model import MMSeparateDistributedDataParallel

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import test_ipgan as T  # noqa: E402

NETS = ('attribute_encoder', 'generator')


def flat(model, name):
    return torch.cat(
        [p.detach().flatten() for p in getattr(model, name).parameters()])


def main(out):
    dist.init_process_group('gloo')
    rank = dist.get_rank()
    torch.manual_seed(0)
    model = T.tiny_ipgan()
    model.init_weights()
    model.train()
    start = {n: flat(model, n) for n in NETS}
    # this process alone: its own step (D and C frozen in place: lr 0)
    alone = copy.deepcopy(model)
    MessageHub.get_current_instance().update_info('iter', 0)
    torch.manual_seed(100 + rank)
    alone.train_step(T.batch(seed=rank), T.wrappers(alone, lr=0.1, d_lr=0.))
    step = {n: flat(alone, n) - start[n] for n in NETS}
    ddp = MMSeparateDistributedDataParallel(model,
                                            broadcast_buffers=False,
                                            find_unused_parameters=False)
    torch.manual_seed(100 + rank)
    ddp.train_step(T.batch(seed=rank), T.wrappers(model, lr=0.1, d_lr=0.))
    result = {}
    for n in NETS:
        steps = [torch.zeros_like(step[n]) for _ in range(2)]
        dist.all_gather(steps, step[n])
        got = torch.cat([
            p.detach().flatten() for p in getattr(ddp.module, n).parameters()
        ])
        gathered = [torch.zeros_like(got) for _ in range(2)]
        dist.all_gather(gathered, got)
        want = start[n] + (steps[0] + steps[1]) / 2
        result[n] = dict(
            ranks_differ=float((gathered[0] - gathered[1]).abs().max()),
            error=float((got - want).abs().max()),
            step=float((want - start[n]).abs().max()))
    if rank == 0:
        with open(out, 'w') as f:
            json.dump(result, f)


if __name__ == '__main__':
    main(sys.argv[1])
