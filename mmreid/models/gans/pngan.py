# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN: Qian et al., "Pose-Normalized Image Generation for Person
Re-identification", ECCV 2018 (the GAN stage)."""
from typing import Dict, List, Optional, Sequence

import torch.nn.functional as F
from torch import Tensor

from mmreid.registry import MODELS
from mmreid.structures import PoseTransferInputs, ReIDDataSample
# Imported for registration (PNGAN builds them by name).
from ..gan_modules import PatchDiscriminator, ResnetGenerator  # noqa: F401
from ..losses.gan_loss import GANLoss  # noqa: F401
from .base_reid_gan import BaseReIDGAN


@MODELS.register_module()
class PNGAN(BaseReIDGAN):
    """PN-GAN's pose-normalisation GAN (docs/en/method_specs.md, PN-GAN).

    Networks (built from config):

    - ``generator``: G_P (:class:`ResnetGenerator`) on
      ``concat(source image, target pose image)``;
    - ``discriminator``: D (:class:`PatchDiscriminator` on the image alone,
      InstanceNorm, unpadded last convs: 1 x 26 x 10 for 256 x 128).

    A training batch (``PoseTransferPairDataset(pairing=
    'ordered_positives', targets='partner')`` +
    ``PoseTransferDataPreprocessor(pose_as_image=True)``) is a
    :class:`~mmreid.structures.PoseTransferInputs`: the source images
    ``img``, the target images ``target_img`` (same identity, another
    image) and the targets' skeleton images ``pose_maps``, all N x 3 x H x W
    in [-1, 1].

    Losses (``loss_weights``, the official ones by default):

    - generator: ``adv`` x LSGAN(D(G(x, p)), 1) + ``rec`` x
      |G(x, p) - target|_1 (``adv=1``, ``rec=10``);
    - discriminator: LSGAN(D(real), 1) + LSGAN(D(fake), 0), no 1/2 factor.

    The official code's quirks are options:

    - ``d_real``: D's real sample, ``'target'`` (default: the paper's "real
      person images"; the image the fake should match) or ``'source'``
      (the code: ``netD(src_img)``);
    - ``generator_first`` (:class:`BaseReIDGAN`): the code updates G
      first, then D on the fakes made before G's update (default True).

    Evaluation: the GAN has no re-ID features (:meth:`extract_feat`
    raises); :class:`~mmreid.engine.PoseTransferVisHook` scores held-out
    transfers (SSIM) and :meth:`synthesize` makes the pose-normalised
    images that :class:`~mmreid.models.PoseNormalizedReID` ranks.

    Args:
        generator (dict): G config.
        discriminator (dict): D config.
        gan_loss (dict): Adversarial loss. Defaults to LSGAN with hard
            targets.
        d_real (str): ``'target'`` or ``'source'``. Defaults to
            ``'target'``.
        loss_weights (dict, optional): ``adv``, ``rec``.
        generator_first (bool): Defaults to True (the code's order).
        data_preprocessor (dict, optional): Defaults to
            ``PoseTransferDataPreprocessor`` to [-1, 1] RGB with pose
            images normalised like photos.
        **kwargs: ``frozen_modules``, ``discriminator_steps``,
            ``generator_steps``, ``init_cfg`` (:class:`BaseReIDGAN`).

    Examples:
        >>> import torch
        >>> model = PNGAN(
        ...     generator=dict(type='ResnetGenerator', ngf=8, num_blocks=2),
        ...     discriminator=dict(type='PatchDiscriminator', in_channels=3,
        ...                        ndf=8, norm_cfg=dict(type='IN'),
        ...                        final_padding=0))
        >>> img, poses = torch.randn(2, 3, 256, 128), torch.randn(8, 3, 256,
        ...                                                        128)
        >>> model.synthesize(img, poses).shape
        torch.Size([2, 8, 3, 256, 128])
        >>> model.module('discriminator')(img).shape
        torch.Size([2, 1, 26, 10])
    """

    discriminator_names = ('discriminator', )
    generator_optim_key = 'generator'
    default_loss_weights = dict(adv=1., rec=10.)
    #: PN-GAN's generator takes no noise.
    noise_channels = 0
    #: No re-ID encoder: sample hooks skip identity measures.
    has_reid_features = False
    D_REAL = ('target', 'source')

    def __init__(self,
                 generator: dict,
                 discriminator: dict,
                 gan_loss: dict = dict(type='GANLoss', gan_type='lsgan'),
                 d_real: str = 'target',
                 loss_weights: Optional[Dict[str, float]] = None,
                 generator_first: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 frozen_modules: Sequence[str] = (),
                 **kwargs) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='PoseTransferDataPreprocessor',
                                     mean=[127.5] * 3,
                                     std=[127.5] * 3,
                                     to_rgb=True,
                                     pose_as_image=True)
        if d_real not in self.D_REAL:
            raise ValueError(f'PNGAN: d_real must be one of {self.D_REAL}, '
                             f'got {d_real!r}')
        super().__init__(data_preprocessor=data_preprocessor,
                         loss_weights=loss_weights,
                         frozen_modules=frozen_modules,
                         generator_first=generator_first,
                         **kwargs)
        self.generator = MODELS.build(generator)
        self.discriminator = MODELS.build(discriminator)
        self.gan_loss = MODELS.build(gan_loss)
        self.d_real = d_real
        self.apply_freezing()

    # ---------------------------------------------------------- inference --
    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Refused: the GAN stage has no re-ID features."""
        raise NotImplementedError(
            'PNGAN (the GAN stage) has no re-ID features: rank with '
            'PoseNormalizedReID (ResNet-50-A on originals, ResNet-50-B on '
            'the pose-normalised images, configs/pngan/*_reid_fused.py)')

    def generate(self,
                 inputs: Tensor,
                 pose_maps: Tensor,
                 noise: Optional[Tensor] = None) -> Tensor:
        """Generate ``inputs``' persons in the poses of ``pose_maps``.

        Args:
            inputs (Tensor): N x 3 x H x W normalised images.
            pose_maps (Tensor): N x 3 x H x W normalised pose images.
            noise (Tensor, optional): Ignored (PN-GAN has none; accepted
                for the pose-transfer tools' common call).

        Returns:
            Tensor: N x 3 x H x W generated images (normalised space).
        """
        return self.module('generator')(inputs, pose_maps)

    def synthesize(self, inputs: Tensor, pose_imgs: Tensor) -> Tensor:
        """Every image in every pose (the canonical poses at test time).

        Args:
            inputs (Tensor): N x 3 x H x W normalised images.
            pose_imgs (Tensor): K x 3 x H x W normalised pose images.

        Returns:
            Tensor: N x K x 3 x H x W; ``[i, k]`` is image ``i`` in pose
            ``k``.
        """
        num, k = inputs.shape[0], pose_imgs.shape[0]
        img = inputs[:, None].expand(num, k, *inputs.shape[1:])
        pose = pose_imgs[None].expand(num, k, *pose_imgs.shape[1:])
        out = self.generate(img.flatten(0, 1), pose.flatten(0, 1))
        return out.view(num, k, *out.shape[1:])

    # ----------------------------------------------------------- training --
    def forward_train(self, inputs: PoseTransferInputs,
                      data_samples: List[ReIDDataSample]) -> dict:
        """Generate each source image in its target's pose."""
        fake = self.generator(inputs.img, inputs.pose_maps)
        return dict(source=inputs.img, target=inputs.target_img, fake=fake)

    def disc_loss(self, name: str, outputs: dict,
                  data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """LSGAN(D(real), 1) + LSGAN(D(fake), 0) (fakes detached)."""
        if name != 'discriminator':
            raise KeyError(f'PNGAN has no discriminator {name!r}')
        real = self.discriminator(outputs[self.d_real])
        fake = self.discriminator(outputs['fake'].detach())
        return dict(
            loss_real=self.gan_loss(real, True, is_disc=True),
            loss_fake=self.gan_loss(fake, False, is_disc=True))

    def gen_loss(self, outputs: dict,
                 data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """The adversarial and the L1 reconstruction terms, weighted."""
        w = self.loss_weights
        fake = outputs['fake']
        losses: Dict[str, Tensor] = {}
        if w['adv'] > 0:
            logits = self.module('discriminator')(fake)
            losses['loss_adv'] = w['adv'] * self.gan_loss(logits, True)
        if w['rec'] > 0:
            losses['loss_rec'] = w['rec'] * F.l1_loss(fake,
                                                      outputs['target'])
        return losses
