# Copyright (c) mmreid contributors. All rights reserved.
"""MMEngine's Visualizer with its drawing figure made on first use."""
from typing import Optional

import numpy as np
from mmengine.visualization import Visualizer

from mmreid.registry import VISUALIZERS


class _PendingFigure:
    """Stands for the figure while ``Visualizer.__init__`` runs."""

    def get_dpi(self) -> None:
        return None


@VISUALIZERS.register_module()
class ReIDVisualizer(Visualizer):
    """MMEngine's :class:`~mmengine.visualization.Visualizer`, with the
    matplotlib figure it draws on created when first needed.

    MMEngine's Visualizer builds that figure (importing matplotlib) in its
    constructor, which every Runner calls, although a training run that
    only logs scalars, or writes images made elsewhere (``add_image``, as
    :class:`~mmreid.engine.RankedListVisHook` does), never draws on it.
    Here ``fig_save``, ``fig_save_canvas``, ``ax_save`` and ``dpi`` are
    made on first access, with the same ``fig_save_cfg``; everything else
    is MMEngine's. It is the visualizer of
    ``configs/_base_/default_runtime.py``.

    Args:
        name (str): The instance name. Defaults to 'visualizer'.
        image (np.ndarray, optional): An image to draw on (RGB).
        vis_backends (list, optional): Visual backend configs.
        save_dir (str, optional): Where the backends save.
        fig_save_cfg (dict): Keyword arguments of the drawing figure.
        fig_show_cfg (dict): Keyword arguments of the figure ``show``
            opens.

    Examples:
        >>> vis = ReIDVisualizer(name='lazy_figure_example')
        >>> vis.has_figure
        False
        >>> import numpy as np
        >>> vis.set_image(np.zeros((8, 4, 3), np.uint8))
        >>> vis.has_figure, vis.get_image().shape
        (True, (8, 4, 3))
    """

    def __init__(self,
                 name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Optional[list] = None,
                 save_dir: Optional[str] = None,
                 fig_save_cfg: dict = dict(frameon=False),
                 fig_show_cfg: dict = dict(frameon=False)) -> None:
        self._in_init = True
        try:
            super().__init__(name,
                             vis_backends=vis_backends,
                             save_dir=save_dir,
                             fig_save_cfg=fig_save_cfg,
                             fig_show_cfg=fig_show_cfg)
        finally:
            self._in_init = False
        if image is not None:
            self.set_image(image)

    def _initialize_fig(self, fig_cfg) -> tuple:
        """Defer the save figure of the constructor; build any other."""
        if self.__dict__.get('_in_init'):
            return None, _PendingFigure(), None
        return super()._initialize_fig(fig_cfg)

    @property
    def has_figure(self) -> bool:
        """Whether the drawing figure has been made yet."""
        fig = self.__dict__.get('_fig_save')
        return fig is not None and not isinstance(fig, _PendingFigure)

    def _figure(self, key: str):
        value = self.__dict__.get(key)
        if value is None or isinstance(value, _PendingFigure):
            if self.__dict__.get('_in_init'):
                # the constructor only reads the figure's dpi
                return _PendingFigure() if key == '_fig_save' else None
            canvas, fig, ax = super()._initialize_fig(self.fig_save_cfg)
            self.__dict__.update(_fig_save_canvas=canvas,
                                 _fig_save=fig,
                                 _ax_save=ax)
            if self.__dict__.get('_dpi') is None:
                self.__dict__['_dpi'] = fig.get_dpi()
            value = self.__dict__[key]
        return value

    @property
    def fig_save(self):
        """The figure images are drawn on (made on first access)."""
        return self._figure('_fig_save')

    @fig_save.setter
    def fig_save(self, value) -> None:
        self.__dict__['_fig_save'] = value

    @property
    def fig_save_canvas(self):
        """The figure's Agg canvas (made on first access)."""
        return self._figure('_fig_save_canvas')

    @fig_save_canvas.setter
    def fig_save_canvas(self, value) -> None:
        self.__dict__['_fig_save_canvas'] = value

    @property
    def ax_save(self):
        """The figure's axes (made on first access)."""
        return self._figure('_ax_save')

    @ax_save.setter
    def ax_save(self, value) -> None:
        self.__dict__['_ax_save'] = value

    @property
    def dpi(self):
        """The figure's dpi (the figure is made on first access)."""
        if self.__dict__.get('_dpi') is None:
            self._figure('_fig_save')
        return self.__dict__.get('_dpi')

    @dpi.setter
    def dpi(self, value) -> None:
        self.__dict__['_dpi'] = value
