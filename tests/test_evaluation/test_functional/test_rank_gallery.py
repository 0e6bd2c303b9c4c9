# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch

from mmreid.evaluation.functional import rank_gallery


def naive_rank(dist, q_pids, g_pids, q_cams, g_cams, protocol, topk):
    """Python reference: filter each row, then a stable sort by distance."""
    ranked, dists, matches = [], [], []
    for i in range(len(dist)):
        keep = []
        for j in range(len(dist[i])):
            if g_pids[j] == -1:
                continue
            if (protocol != 'no_camera' and g_pids[j] == q_pids[i]
                    and g_cams[j] == q_cams[i]):
                continue
            keep.append((float(dist[i][j]), j))
        keep.sort(key=lambda t: t[0])  # sort is stable: ties by index
        keep = keep[:topk]
        ranked.append([j for _, j in keep])
        dists.append([d for d, _ in keep])
        matches.append([bool(g_pids[j] == q_pids[i]) for _, j in keep])
    return dict(ranked=ranked, dists=dists, matches=matches)


@pytest.mark.parametrize('protocol', ['market', 'no_camera'])
@pytest.mark.parametrize('topk', [1, 5, 40])
def test_rank_gallery_matches_naive_reference(protocol, topk):
    g = torch.Generator().manual_seed(0)
    # Rounded distances: many ties, so the tie rule is exercised.
    dist = torch.randint(0, 6, (7, 30), generator=g).float()
    q_pids = torch.randint(0, 4, (7, ), generator=g)
    g_pids = torch.randint(-1, 4, (30, ), generator=g)
    q_cams = torch.randint(0, 3, (7, ), generator=g)
    g_cams = torch.randint(0, 3, (30, ), generator=g)
    got = rank_gallery(dist, q_pids, g_pids, q_cams, g_cams, protocol,
                       topk)
    want = naive_rank(dist.tolist(), q_pids.tolist(), g_pids.tolist(),
                      q_cams.tolist(), g_cams.tolist(), protocol, topk)
    assert got == want
    assert any(len(r) == min(topk, 30) for r in got['ranked']) or topk > 20


def test_rank_gallery_needs_cameras_for_camera_protocols():
    with pytest.raises(ValueError, match='needs query and gallery cameras'):
        rank_gallery(torch.zeros(1, 2), torch.tensor([1]),
                     torch.tensor([1, 2]))
    out = rank_gallery(torch.tensor([[2., 1.]]), torch.tensor([1]),
                       torch.tensor([1, 2]), protocol='no_camera')
    assert out['ranked'] == [[1, 0]] and out['matches'] == [[False, True]]
