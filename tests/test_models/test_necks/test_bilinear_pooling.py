# Copyright (c) mmreid contributors. All rights reserved.
import torch
import torch.nn.functional as F

from mmreid.models.necks import (BilinearPooling, CompactBilinearPooling,
                                 count_sketch_matrix)


def test_bilinear_pooling_matches_direct_outer_products():
    torch.manual_seed(0)
    a, p = torch.randn(2, 6, 4, 3), torch.randn(2, 5, 4, 3)
    out = BilinearPooling()(a, p)
    assert out.shape == (2, 30)
    ref = torch.zeros(2, 6, 5)
    for n in range(2):
        for y in range(4):
            for x in range(3):
                ref[n] += torch.outer(a[n, :, y, x], p[n, :, y, x])
    torch.testing.assert_close(out, ref.reshape(2, -1))
    avg = BilinearPooling(avg=True)(a, p)
    torch.testing.assert_close(avg, out / 12)


def test_bilinear_kernel_is_appearance_times_part_similarity():
    """<B(a, p), B(a', p')> = sum_{xy, x'y'} <a, a'> <p, p'> (PABR)."""
    torch.manual_seed(1)
    a, p = torch.randn(2, 4, 3, 2), torch.randn(2, 3, 3, 2)
    b = BilinearPooling()(a, p)
    af, pf = a.flatten(2), p.flatten(2)
    ka = af[0].t() @ af[1]  # HW x HW appearance similarities
    kp = pf[0].t() @ pf[1]
    torch.testing.assert_close(b[0] @ b[1], (ka * kp).sum())


def test_count_sketch_is_deterministic_buffer():
    m = count_sketch_matrix(10, 7, 1, 3)
    assert torch.equal(m, count_sketch_matrix(10, 7, 1, 3))
    assert set(m.unique().tolist()) <= {-1., 0., 1.}
    assert (m != 0).sum(1).eq(1).all()
    cbp = CompactBilinearPooling(10, 4, 7)
    assert 'sketch1' in cbp.state_dict() and not list(cbp.parameters())


def test_compact_bilinear_pooling_is_tensor_sketch():
    """Direct computation: sum_xy circular-convolve(C1 a_xy, C2 p_xy)."""
    torch.manual_seed(2)
    cbp = CompactBilinearPooling(6, 5, 8)
    a, p = torch.randn(2, 6, 3, 2), torch.randn(2, 5, 3, 2)
    out = cbp(a, p)
    assert out.shape == (2, 8)
    ref = torch.zeros(2, 8)
    for n in range(2):
        for y in range(3):
            for x in range(2):
                s1 = a[n, :, y, x] @ cbp.sketch1
                s2 = p[n, :, y, x] @ cbp.sketch2
                for i in range(8):
                    for j in range(8):
                        ref[n, (i + j) % 8] += s1[i] * s2[j]
    torch.testing.assert_close(out, ref, atol=1e-4, rtol=1e-4)
    per_loc = CompactBilinearPooling(6, 5, 8, sum_pool=False)(a, p)
    assert per_loc.shape == (2, 8, 3, 2)
    torch.testing.assert_close(per_loc.sum((2, 3)), out, atol=1e-4,
                               rtol=1e-4)


def test_compact_approximates_exact_inner_products():
    """PABR's sizes: 512 x 128 maps of 20 x 10, 512-d sketch.

    The sketch is an unbiased estimate of the exact 65,536-d inner products;
    for non-negative (post-ReLU-like) maps the relative error of the Gram
    matrix is about 1%, and the cosine similarities of the normalised
    descriptors differ by about 0.01.
    """
    torch.manual_seed(0)
    a = torch.randn(6, 512, 20, 10).relu()
    p = torch.randn(6, 128, 20, 10).relu()
    exact = BilinearPooling()(a, p)
    compact = CompactBilinearPooling(512, 128, 512)(a, p)
    assert exact.shape == (6, 65536) and compact.shape == (6, 512)
    g_exact, g_compact = exact @ exact.t(), compact @ compact.t()
    rel = ((g_compact - g_exact).abs() / g_exact.abs()).mean()
    assert rel < 0.05, rel
    cos_err = (F.normalize(exact) @ F.normalize(exact).t() -
               F.normalize(compact) @ F.normalize(compact).t()).abs().max()
    assert cos_err < 0.05, cos_err
    # larger sketches approximate better (on average over seeds)
    errs = []
    for d in (64, 4096):
        e = []
        for s in range(3):
            cbp = CompactBilinearPooling(512, 128, d, seeds=(s, s + 10,
                                                             s + 20, s + 30))
            c = cbp(a, p)
            e.append(((c @ c.t() - g_exact).abs() / g_exact).mean())
        errs.append(sum(e) / 3)
    assert errs[1] < errs[0]
