# Copyright (c) mmreid contributors. All rights reserved.
import torch
import torch.nn.functional as F

from mmreid.models.utils import gather_across_ranks


def test_gather_across_ranks_single_process():
    f, lab = torch.randn(3, 4, requires_grad=True), torch.arange(3)
    g, glab = gather_across_ranks(f, lab)
    assert g is f and glab is lab


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _ddp_worker(rank, world_size, port, feats, labels, out):
    import os

    import torch.distributed as dist

    from mmreid.models.losses import TripletLoss
    os.environ['MASTER_ADDR'] = '127.0.0.1'
    os.environ['MASTER_PORT'] = str(port)
    dist.init_process_group('gloo', rank=rank, world_size=world_size)
    n = len(feats) // world_size
    local = feats[rank * n:(rank + 1) * n].clone().requires_grad_(True)
    loss = TripletLoss(margin=0.2, mining='all', squared=True,
                       gather_across_ranks=True)(
                           local, labels[rank * n:(rank + 1) * n])
    loss.backward()
    # DDP averages gradients over ranks
    out[rank * n:(rank + 1) * n] = local.grad / world_size
    # Both ranks are done before either leaves (no destroy_process_group:
    # with gloo it can wait for a peer that has already exited).
    dist.barrier()


def test_gather_across_ranks_gradient_equals_single_process():
    """2 gloo processes: TripletLoss(gather_across_ranks=True) gives the
    gradient one process gets on the concatenated batch."""
    import torch.multiprocessing as mp

    from mmreid.models.losses import TripletLoss
    torch.manual_seed(0)
    feats = F.normalize(torch.randn(8, 4), dim=1)
    labels = torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])
    ref = feats.clone().requires_grad_(True)
    TripletLoss(margin=0.2, mining='all', squared=True)(ref, labels).backward()
    out = torch.zeros(8, 4).share_memory_()
    mp.spawn(
        _ddp_worker,
        args=(2, free_port(), feats, labels, out),
        nprocs=2)
    torch.testing.assert_close(out, ref.grad, atol=1e-6, rtol=1e-5)
