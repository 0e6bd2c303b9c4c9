# Copyright (c) mmreid contributors. All rights reserved.
"""IdentityContiguousSampler in 2 real CPU processes (gloo): every step's
gathered batch is the batch of one process with twice the batch size."""
import os
import socket

import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from mmengine.runner import Runner

from mmreid.datasets.samplers import IdentityContiguousSampler

# 9 identities with 2..9 images, 46 images; with max_per_id=6, 41 per epoch
COUNTS = [3, 9, 2, 7, 5, 4, 8, 6, 2]
WORLD_SIZE = 2
BATCH = 5  # per rank
EPOCHS = 3


class IndexDataset:
    """Labels in interleaved order; an item is its own index."""

    def __init__(self):
        labels = [lab for lab, n in enumerate(COUNTS) for _ in range(n)]
        self.labels = labels[::2] + labels[1::2]

    def __len__(self):
        return len(self.labels)

    def get_data_info(self, i):
        return dict(label=self.labels[i])

    def __getitem__(self, i):
        return i


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _worker(rank, port, out):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch_dist.init_process_group(
        'gloo', rank=rank, world_size=WORLD_SIZE)
    try:
        # as the Runner builds a training dataloader from a config; no seed:
        # drawn on rank 0 and broadcast
        loader = Runner.build_dataloader(
            dict(
                batch_size=BATCH,
                num_workers=0,
                drop_last=True,
                collate_fn=dict(type='default_collate'),
                sampler=dict(
                    type='mmreid.IdentityContiguousSampler',
                    max_per_id=6,
                    batch_size=BATCH),
                dataset=IndexDataset()),
            seed=None)
        sampler = loader.sampler
        assert isinstance(sampler, IdentityContiguousSampler)
        assert (sampler.rank, sampler.world_size) == (rank, WORLD_SIZE)
        gathered = []
        for epoch in range(EPOCHS):
            sampler.set_epoch(epoch)  # as DistSamplerSeedHook does
            steps = []
            for batch in loader:
                assert batch.shape == (BATCH, )
                parts = [torch.zeros_like(batch) for _ in range(WORLD_SIZE)]
                torch_dist.all_gather(parts, batch)
                steps.append(torch.cat(parts).tolist())
            gathered.append(steps)
        out[rank] = (sampler.seed, len(sampler), gathered)
    finally:
        torch_dist.destroy_process_group()


def test_two_processes_see_the_single_process_batches():
    with mp.Manager() as manager:
        out = manager.dict()
        mp.spawn(_worker, args=(_free_port(), out), nprocs=WORLD_SIZE)
        out = dict(out)
    (seed0, len0, gathered), (seed1, len1, gathered1) = out[0], out[1]
    assert seed0 == seed1 and len0 == len1
    assert gathered == gathered1  # both ranks gathered the same batches
    dataset = IndexDataset()
    global_batch = WORLD_SIZE * BATCH
    single = IdentityContiguousSampler(
        dataset, max_per_id=6, seed=seed0, batch_size=global_batch)
    plain = IdentityContiguousSampler(dataset, max_per_id=6, seed=seed0)
    num_images = sum(min(n, 6) for n in COUNTS)
    steps = -(-num_images // global_batch)  # round_up: the last one wraps
    assert len(single) == steps * global_batch == WORLD_SIZE * len0
    for epoch in range(EPOCHS):
        single.set_epoch(epoch)
        plain.set_epoch(epoch)
        one = list(single)
        one = [one[k:k + global_batch] for k in range(0, len(one),
                                                      global_batch)]
        assert gathered[epoch] == one
        # independently: the plain stream, wrapped around to whole batches
        stream = list(plain)
        stream = (stream + stream)[:steps * global_batch]
        assert sum(gathered[epoch], []) == stream
    assert gathered[0] != gathered[1]  # set_epoch reshuffles
