# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
from mmengine.visualization import Visualizer

from mmreid.registry import VISUALIZERS
from mmreid.visualization import ReIDVisualizer


def draw(vis, image):
    vis.set_image(image)
    vis.draw_bboxes(np.array([[2, 3, 20, 40]]), edge_colors='r')
    vis.draw_texts('id 7', np.array([4, 10]), font_sizes=6)
    return vis.get_image()


def test_figure_is_made_on_first_use_and_draws_as_mmengine():
    image = np.random.default_rng(0).integers(0, 255, (48, 24, 3), np.uint8)
    lazy = ReIDVisualizer(name='test_lazy_fig')
    assert not lazy.has_figure
    assert lazy.__dict__['_dpi'] is None
    ref = Visualizer(name='test_lazy_fig_ref')
    assert lazy.dpi == ref.dpi  # reading it makes the figure
    assert lazy.has_figure
    got = draw(lazy, image)
    assert np.array_equal(got, draw(ref, image))
    assert not np.array_equal(got, image)  # something was drawn


def test_image_given_to_the_constructor_and_registry_build(tmp_path):
    image = np.full((30, 20, 3), 90, np.uint8)
    vis = ReIDVisualizer(name='test_lazy_fig_img', image=image)
    assert vis.has_figure
    assert np.array_equal(vis.get_image(), image)
    built = VISUALIZERS.build(
        dict(type='ReIDVisualizer',
             name='test_lazy_fig_cfg',
             vis_backends=[dict(type='LocalVisBackend')],
             save_dir=str(tmp_path)))
    built.add_image('img', image, step=1)  # backends need no figure
    assert not built.has_figure
    assert (tmp_path / 'vis_data' / 'vis_image' / 'img_1.png').is_file()
