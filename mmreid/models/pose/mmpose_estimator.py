# Copyright (c) mmreid contributors. All rights reserved.
"""An MMPose top-down heatmap estimator as an mmreid module."""
import copy
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.config import Config, ConfigDict
from mmengine.model import BaseModule
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import DefaultScope

from mmreid.registry import MODELS
from mmreid.structures.pose_formats import get_pose_format

#: MMPose's HRNet-W32 top-down heatmap model on COCO at 256 x 192.
HRNET_W32_COCO_CONFIG = ('mmpose::body_2d_keypoint/topdown_heatmap/coco/'
                         'td-hm_hrnet-w32_8xb64-210e_coco-256x192.py')
#: Its COCO-trained weights (MMPose metafile ``hrnet_coco.yml``,
#: AP 0.746 on COCO val2017).
HRNET_W32_COCO_CHECKPOINT = (
    'https://download.openmmlab.com/mmpose/v1/body_2d_keypoint/'
    'topdown_heatmap/coco/td-hm_hrnet-w32_8xb64-210e_coco-256x192-81c58e40_'
    '20220909.pth')

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


def load_mmpose_config(config: Union[str, dict, Config]) -> Config:
    """Read an MMPose config: ``'mmpose::<path>'``, a file or a dict.

    Args:
        config (str | dict | Config): The config.

    Returns:
        Config: The full config (``model``, ``codec``...).
    """
    if isinstance(config, Config):
        return copy.deepcopy(config)
    if isinstance(config, dict):
        return Config(copy.deepcopy(dict(config)))
    if '::' in config:
        from mmengine.hub import get_config
        return get_config(config)
    if not osp.isfile(config):
        raise FileNotFoundError(
            f'MMPose config not found: {config} (use a path or '
            "'mmpose::body_2d_keypoint/...py')")
    return Config.fromfile(config)


def metafile_checkpoint(config: str) -> str:
    """The checkpoint URL of an ``mmpose::`` config from MMPose's metafile.

    Args:
        config (str): ``'mmpose::<relative config path>'``.

    Returns:
        str: The ``Weights`` URL of the config's metafile entry.
    """
    from mmengine.hub import get_config
    if '::' not in config:
        raise ValueError("checkpoint='auto' needs an 'mmpose::' config, got "
                         f'{config!r}')
    return get_config(config, pretrained=True).model_path


def decode_heatmaps(heatmaps: torch.Tensor,
                    refine: bool = True) -> torch.Tensor:
    """Argmax decoding of heatmaps, as MMPose's ``MSRAHeatmap`` codec.

    The maximum of each map, moved by a quarter pixel towards the higher
    neighbour (``refine``); its value is the score.

    Args:
        heatmaps (torch.Tensor): ``(N, K, H, W)``.
        refine (bool): Quarter-pixel refinement. Defaults to True.

    Returns:
        torch.Tensor: ``(N, K, 3)``: x, y in heatmap pixels and the score
        (the maximum, clipped to [0, 1]).

    Examples:
        >>> hm = torch.zeros(1, 1, 4, 5)
        >>> hm[0, 0, 2, 3], hm[0, 0, 2, 4] = 0.9, 0.5
        >>> [round(v, 3) for v in decode_heatmaps(hm)[0, 0].tolist()]
        [3.25, 2.0, 0.9]
    """
    n, k, h, w = heatmaps.shape
    hm = heatmaps.detach().float()
    score, idx = hm.flatten(2).max(-1)
    x, y = (idx % w).float(), torch.div(idx, w, rounding_mode='floor').float()
    if refine:
        flat = hm.flatten(0, 1)
        xi, yi = (idx % w).flatten(), torch.div(
            idx, w, rounding_mode='floor').flatten()
        ar = torch.arange(flat.shape[0], device=hm.device)
        right = flat[ar, yi, (xi + 1).clamp(max=w - 1)]
        left = flat[ar, yi, (xi - 1).clamp(min=0)]
        down = flat[ar, (yi + 1).clamp(max=h - 1), xi]
        up = flat[ar, (yi - 1).clamp(min=0), xi]
        # MMPose's ``refine_keypoints`` conditions
        dx = torch.where((xi > 1) & (xi < w - 1) & (yi > 0), right - left,
                         torch.zeros_like(right))
        dy = torch.where((yi > 1) & (yi < h - 1) & (xi > 0), down - up,
                         torch.zeros_like(down))
        x = x + 0.25 * torch.sign(dx).view(n, k)
        y = y + 0.25 * torch.sign(dy).view(n, k)
    return torch.stack([x, y, score.clamp(0, 1)], -1)


@MODELS.register_module()
class MMPoseEstimator(BaseModule):
    """An MMPose top-down heatmap estimator applied to re-ID crops.

    Builds the estimator of an MMPose config under ``_scope_='mmpose'``
    (without calling ``mmpose.apis``, which switches the global default
    scope), loads a COCO-trained checkpoint, and maps re-ID crops into its
    input: a crop is scaled to fit the estimator's input (e.g. 256 x 192,
    4:3) shrunk by ``bbox_padding`` (MMPose enlarges person boxes by 1.25),
    keeping its aspect, and centred on black, as MMPose's ``TopdownAffine``
    would place a whole-image box. Keypoints are mapped back to crop
    pixels.

    Args:
        config (str | dict): An MMPose config: ``'mmpose::<path>'``, a file
            path, or a config dict with ``model`` (and ``codec``). Defaults
            to HRNet-W32, COCO, 256 x 192.
        checkpoint (str, optional): URL or path of the estimator's weights;
            ``'auto'`` takes the ``Weights`` URL of an ``mmpose::`` config's
            metafile; None keeps random initialisation (tests). Loaded by
            :meth:`init_weights` (as ``init_cfg=Pretrained``). Defaults to
            the real COCO checkpoint of the default config.
        freeze (bool): Eval mode, no gradients (offline extraction, GAN pose
            targets); False fine-tunes it (PABR). Defaults to True.
        input_mean (Sequence[float]): Mean used to normalise the incoming
            crops (0-255 scale). Defaults to ImageNet's.
        input_std (Sequence[float]): Their std. Defaults to ImageNet's.
        input_bgr (bool): Whether the incoming crops are BGR (mmreid data
            preprocessors usually convert to RGB). Defaults to False.
        bbox_padding (float): Context around the crop, as MMPose's
            ``GetBBoxCenterScale(padding=1.25)``. Defaults to 1.25.
        flip_test (bool): Average with the heatmaps of the flipped crops
            (MMPose's ``flip_mode='heatmap'``, ``shift_heatmap=True``).
            Defaults to False.
        init_cfg (dict, optional): Ignored for the estimator's weights (use
            ``checkpoint``). Defaults to None.

    Examples:
        >>> # random weights, tiny input (for a real run use the defaults)
        >>> est = MMPoseEstimator(checkpoint=None)  # doctest: +SKIP
        >>> out = est(torch.randn(2, 3, 64, 32))  # doctest: +SKIP
        >>> out['keypoints'].shape  # doctest: +SKIP
        torch.Size([2, 17, 3])
    """

    def __init__(self,
                 config: Union[str, dict] = HRNET_W32_COCO_CONFIG,
                 checkpoint: Optional[str] = HRNET_W32_COCO_CHECKPOINT,
                 freeze: bool = True,
                 input_mean: Sequence[float] = IMAGENET_MEAN,
                 input_std: Sequence[float] = IMAGENET_STD,
                 input_bgr: bool = False,
                 bbox_padding: float = 1.25,
                 flip_test: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        cfg = load_mmpose_config(config)
        if 'model' not in cfg:
            raise KeyError(f'the MMPose config {config} has no `model`')
        model_cfg = ConfigDict(copy.deepcopy(cfg.model))
        # The estimator's own checkpoint replaces the backbone's ImageNet
        # weights (MMPose's init_model drops them too); random init keeps
        # the backbone's default initialisation.
        if 'backbone' in model_cfg:
            model_cfg.backbone.pop('init_cfg', None)
        model_cfg.pop('train_cfg', None)
        pre = model_cfg.pop('data_preprocessor', None) or {}
        model_cfg['_scope_'] = 'mmpose'
        with DefaultScope.overwrite_default_scope('mmpose'):
            self.estimator = MMENGINE_MODELS.build(model_cfg)
        if checkpoint == 'auto':
            checkpoint = metafile_checkpoint(config)
        self.config = config if isinstance(config, str) else None
        self.checkpoint = checkpoint
        if checkpoint:
            self.estimator.init_cfg = dict(
                type='Pretrained', checkpoint=checkpoint)
        else:
            self.estimator.init_cfg = None

        self.input_size = self._input_size(cfg)  # (w, h)
        self.num_keypoints = int(
            model_cfg.get('head', {}).get('out_channels', 17))
        self.kpt_format = 'coco17' if self.num_keypoints == 17 else None
        self.bbox_padding = float(bbox_padding)
        self.flip_test = flip_test
        self.input_bgr = input_bgr
        # MMPose loads BGR images; ``bgr_to_rgb`` means the model takes RGB
        self.pose_rgb = bool(pre.get('bgr_to_rgb', False))
        self.register_buffer('in_mean',
                             torch.tensor(input_mean).view(1, 3, 1, 1), False)
        self.register_buffer('in_std',
                             torch.tensor(input_std).view(1, 3, 1, 1), False)
        self.register_buffer(
            'pose_mean',
            torch.tensor(pre.get('mean', IMAGENET_MEAN)).view(1, 3, 1, 1),
            False)
        self.register_buffer(
            'pose_std',
            torch.tensor(pre.get('std', IMAGENET_STD)).view(1, 3, 1, 1), False)
        self.freeze = freeze
        if freeze:
            self.estimator.eval()
            for p in self.estimator.parameters():
                p.requires_grad = False

    @staticmethod
    def _input_size(cfg: Config) -> Tuple[int, int]:
        """The estimator input ``(w, h)`` from the config's codec."""
        codec = cfg.get('codec')
        if isinstance(codec, dict) and 'input_size' in codec:
            return tuple(int(v) for v in codec['input_size'])
        head = cfg.model.get('head', {})
        dec = head.get('decoder') if isinstance(head, dict) else None
        if isinstance(dec, dict) and 'input_size' in dec:
            return tuple(int(v) for v in dec['input_size'])
        raise KeyError('cannot find the estimator input size (codec.'
                       'input_size) in the MMPose config')

    def train(self, mode: bool = True) -> 'MMPoseEstimator':
        """Set train mode; a frozen estimator stays in eval mode."""
        super().train(mode)
        if self.freeze:
            self.estimator.eval()
        return self

    # ------------------------------------------------------------ geometry --
    def placement(self, crop_hw: Tuple[int, int]) -> Tuple[float, int, int]:
        """Where a crop lands in the estimator input.

        Args:
            crop_hw (tuple[int, int]): Crop ``(h, w)``.

        Returns:
            tuple: ``(scale, x0, y0)``: the crop is resized by ``scale`` and
            its top-left corner put at ``(x0, y0)`` of the input. E.g. a
            256 x 128 crop in a 256 x 192 input with ``bbox_padding=1.25``
            is resized by 0.8 to 205 x 102 and put at (45, 25).
        """
        h, w = crop_hw
        iw, ih = self.input_size
        scale = min(iw / w, ih / h) / self.bbox_padding
        rw, rh = max(1, round(w * scale)), max(1, round(h * scale))
        return scale, (iw - rw) // 2, (ih - rh) // 2

    def to_estimator_input(self, inputs: torch.Tensor) -> torch.Tensor:
        """Re-normalise, resize and pad crops into the estimator input.

        Args:
            inputs (torch.Tensor): ``(N, 3, H, W)`` normalised crops.

        Returns:
            torch.Tensor: ``(N, 3, h_in, w_in)`` estimator inputs.
        """
        x = inputs.float() * self.in_std + self.in_mean  # 0-255 pixels
        if self.input_bgr == self.pose_rgb:  # swap the channel order
            x = x.flip(1)
        h, w = x.shape[-2:]
        scale, x0, y0 = self.placement((h, w))
        rw, rh = max(1, round(w * scale)), max(1, round(h * scale))
        x = F.interpolate(
            x, size=(rh, rw), mode='bilinear', align_corners=False)
        iw, ih = self.input_size
        x = F.pad(x, (x0, iw - rw - x0, y0, ih - rh - y0), value=0.)
        return (x - self.pose_mean) / self.pose_std

    def valid_box(self, crop_hw: Tuple[int, int]) -> Tuple[int, int, int, int]:
        """The crop's box ``(x0, y0, x1, y1)`` in estimator-input pixels.

        Args:
            crop_hw (tuple[int, int]): Crop ``(h, w)``.

        Returns:
            tuple[int, int, int, int]: ``x1``/``y1`` exclusive.
        """
        h, w = crop_hw
        scale, x0, y0 = self.placement(crop_hw)
        return (x0, y0, x0 + max(1, round(w * scale)),
                y0 + max(1, round(h * scale)))

    def crop_to_input(
            self,
            maps: torch.Tensor,
            crop_hw: Tuple[int, int],
            out_size: Optional[Tuple[int, int]] = None) -> torch.Tensor:
        """Cut the crop's region out of estimator-frame maps.

        Useful to align heatmaps or features with the re-ID crop (PABR's
        part stream).

        Args:
            maps (torch.Tensor): ``(N, C, h, w)`` maps over the estimator
                input (any stride).
            crop_hw (tuple[int, int]): The crop's ``(h, w)``.
            out_size (tuple[int, int], optional): Resize the cut to
                ``(h, w)`` (bilinear). Defaults to no resize.

        Returns:
            torch.Tensor: The maps of the crop's region.
        """
        iw, ih = self.input_size
        sx, sy = maps.shape[-1] / iw, maps.shape[-2] / ih
        x0, y0, x1, y1 = self.valid_box(crop_hw)
        cut = maps[...,
                   int(y0 * sy):max(int(y0 * sy) + 1, round(y1 * sy)),
                   int(x0 * sx):max(int(x0 * sx) + 1, round(x1 * sx))]
        if out_size is not None:
            cut = F.interpolate(
                cut,
                size=tuple(out_size),
                mode='bilinear',
                align_corners=False)
        return cut

    # ------------------------------------------------------------- forward --
    def _heatmaps(
            self,
            x: torch.Tensor) -> Tuple[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Head output and backbone (+ neck) features of estimator inputs."""
        feats = self.estimator.extract_feat(x)
        heatmaps = self.estimator.head.forward(feats)
        if not isinstance(heatmaps, torch.Tensor) or heatmaps.dim() != 4:
            raise TypeError(
                'MMPoseEstimator supports heatmap heads (N x K x H x W '
                f'outputs); {type(self.estimator.head).__name__} returned '
                f'{type(heatmaps).__name__}. Use a topdown_heatmap config.')
        if self.flip_test:
            flip_feats = self.estimator.extract_feat(x.flip(-1))
            flipped = self.estimator.head.forward(flip_feats).flip(-1)
            if self.kpt_format is not None:
                flipped = flipped[:,
                                  list(
                                      get_pose_format(self.kpt_format).
                                      flip_indices)]
            # MMPose's shift_heatmap: align the flipped maps by one pixel
            flipped = torch.cat([flipped[..., :1], flipped[..., :-1]], -1)
            heatmaps = (heatmaps + flipped) / 2
        return heatmaps, tuple(feats)

    def forward(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Estimate the pose of each crop.

        Args:
            inputs (torch.Tensor): ``(N, 3, H, W)`` crops, normalised with
                ``input_mean`` / ``input_std`` (channel order
                ``input_bgr``).

        Returns:
            dict:

            - ``keypoints`` (N, K, 3): x, y in crop pixels (pixel centres at
              integers) and the score (heatmap maximum in [0, 1]);
            - ``heatmaps`` (N, K, h, w): the head's heatmaps over the
              estimator input (see :meth:`crop_to_input`);
            - ``feats`` (tuple[Tensor]): the backbone (+ neck) feature maps
              over the estimator input;
            - ``valid_box`` (4,): the crop's box in estimator-input pixels.
        """
        h, w = inputs.shape[-2:]
        x = self.to_estimator_input(inputs)
        if self.freeze:
            with torch.no_grad():
                heatmaps, feats = self._heatmaps(x)
        else:
            heatmaps, feats = self._heatmaps(x)
        kpts = decode_heatmaps(heatmaps)
        iw, ih = self.input_size
        hw_, hh_ = heatmaps.shape[-1], heatmaps.shape[-2]
        scale, x0, y0 = self.placement((h, w))
        # heatmap -> estimator input (MMPose codec: x_in = x_hm * stride)
        # -> crop pixels (pixel-centre geometry of the resize)
        xs = kpts[..., 0] * (iw / hw_)
        ys = kpts[..., 1] * (ih / hh_)
        rw, rh = max(1, round(w * scale)), max(1, round(h * scale))
        kpts[..., 0] = (xs - x0 + 0.5) * (w / rw) - 0.5
        kpts[..., 1] = (ys - y0 + 0.5) * (h / rh) - 0.5
        return dict(
            keypoints=kpts,
            heatmaps=heatmaps,
            feats=feats,
            valid_box=torch.tensor(self.valid_box((h, w))))
