# Copyright (c) mmreid contributors. All rights reserved.
"""FD-GAN: Ge et al., "FD-GAN: Pose-guided Feature Distilling GAN for Robust
Person Re-identification", NeurIPS 2018."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.logging import MMLogger
from torch import Tensor

from mmreid.registry import MODELS
from mmreid.structures import PairInputs, ReIDDataSample
# Imported for registration (FDGAN builds them by name).
from ..gan_modules import PatchDiscriminator, PoseGuidedGenerator  # noqa
from ..losses.gan_loss import GANLoss  # noqa: F401
from ..reid.verification_reid import VerificationReID
from ..utils import gt_labels
from .base_reid_gan import BaseReIDGAN


def copy_verifier_to_discriminator(src: VerificationReID,
                                   dst: VerificationReID,
                                   same_class: int = 1) -> None:
    """Initialise a 1-logit Siamese discriminator from a 2-class verifier.

    FD-GAN's D_id starts as the stage-I encoder: same backbone and BN, and
    its single logit is the verifier's "same identity" row (official
    ``fdgan/model.py``).

    Args:
        src (VerificationReID): The trained verifier (2 classes).
        dst (VerificationReID): The discriminator (1 logit).
        same_class (int): The verifier's "same" class. Defaults to 1.
    """
    state = src.state_dict()
    w, b = 'head.classifier.weight', 'head.classifier.bias'
    state[w] = state[w][same_class:same_class + 1].clone()
    state[b] = state[b][same_class:same_class + 1].clone()
    dst.load_state_dict(state)


@MODELS.register_module()
class FDGAN(BaseReIDGAN):
    """FD-GAN (docs/en/method_specs.md, FD-GAN), stages II and III.

    Networks (all built from config):

    - ``encoder``: the Siamese re-ID encoder E with its verification
      classifier V (:class:`VerificationReID`; stage I trains it alone);
    - ``generator``: G (:class:`PoseGuidedGenerator`), from E's feature of
      the input image x, a target pose p* and noise z shared within a pair;
    - ``disc_id``: D_id, a :class:`VerificationReID` with a 1-logit head:
      is (x, image) the same person? Real: (x, y*), fake: (x, x̂);
    - ``disc_pose``: D_pd (:class:`PatchDiscriminator`) on
      ``concat(p*, image)``. Real: y*, fake: x̂.

    A training batch (from ``PoseTransferPairDataset`` +
    ``PoseTransferDataPreprocessor``) is a
    :class:`~mmreid.structures.PairInputs` of N pairs with its pose-transfer
    fields: ``img``, ``target_img`` (N x 2 x 3 x H x W, normalised) and
    ``pose_maps`` (N x 2 x P x H x W), ``gt_label`` 1 for a positive pair
    (both branches then share target and pose).

    Losses (``loss_weights``, the official weights by default):
    ``verif`` (L_v, the loss of V's head, :meth:`SquaredDiffVerificationHead.
    loss`; 10 in stage III, 0 in stage II),
    ``rec`` (L_r = |x̂ - y*|_1, 100), ``same_pose`` (L_sp, L1 between the
    two generated images of positive pairs, 10), ``adv_id`` and
    ``adv_pose`` (the generator's adversarial terms, hard targets, 1 each).
    Each discriminator minimises ``(BCE(real, 1) + BCE(fake, 0)) / 2``
    with ``gan_loss``'s smoothing and label flipping.

    Order per iteration (:class:`BaseReIDGAN`): forward E and G, update
    D_id, update D_pd, update G (and E when it is trained).

    D_id's features of x, y* and x̂ come from one forward of the
    concatenated batch; this equals the official separate calls because
    D_id's BN layers are frozen in both stages (``frozen_bn_modules``).

    Stages are configs: stage II freezes E (``frozen_modules=['encoder']``,
    ``loss_weights=dict(verif=0)``, BN of D_id frozen) and initialises E
    from the stage-I checkpoint (``encoder.init_cfg``) and D_id from E
    (``disc_id_init_from_encoder=True``); stage III trains everything with
    the BN of E and D_id frozen and loads the stage-II checkpoint.

    Test: E only (:meth:`extract_feat`); :meth:`distance_matrix` is the
    cascade re-scoring by V (``ReIDMetric(metric='model')``).

    Args:
        encoder (dict): E + V config.
        generator (dict): G config.
        disc_id (dict): D_id config.
        disc_pose (dict): D_pd config.
        gan_loss (dict): Discriminator/generator adversarial loss.
            Defaults to FD-GAN's smoothed BCE.
        loss_weights (dict, optional): See above.
        disc_id_init_from_encoder (bool): Copy E into D_id in
            :meth:`init_weights` (stage II). Defaults to False.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='PoseTransferDataPreprocessor')`` with ImageNet
            mean/std.
        **kwargs: ``frozen_modules``, ``frozen_bn_modules``,
            ``discriminator_steps``, ``generator_steps``, ``init_cfg``
            (see :class:`BaseReIDGAN`).

    Examples:
        >>> enc = dict(type='VerificationReID',
        ...            backbone=dict(type='mmpretrain.ResNet', depth=18,
        ...                          out_indices=(3, )),
        ...            head=dict(type='SquaredDiffVerificationHead',
        ...                      in_channels=512))
        >>> model = FDGAN(
        ...     encoder=enc,
        ...     generator=dict(type='PoseGuidedGenerator',
        ...                    input_size=(64, 32), feat_channels=512,
        ...                    noise_channels=8, ngf=8, num_downsamples=3),
        ...     disc_id=dict(enc, head=dict(
        ...         type='SquaredDiffVerificationHead', in_channels=512,
        ...         num_classes=1)),
        ...     disc_pose=dict(type='PatchDiscriminator', ndf=8),
        ...     frozen_modules=['encoder'])
        >>> _ = model.eval()
        >>> imgs = torch.randn(2, 3, 64, 32)
        >>> model.generate(imgs, torch.rand(2, 18, 64, 32)).shape
        torch.Size([2, 3, 64, 32])
        >>> model(imgs).shape  # re-ID features (E only)
        torch.Size([2, 512])
    """

    discriminator_names = ('disc_id', 'disc_pose')
    generator_optim_key = 'generator'
    default_loss_weights = dict(verif=10.,
                                rec=100.,
                                same_pose=10.,
                                adv_id=1.,
                                adv_pose=1.)

    def __init__(self,
                 encoder: dict,
                 generator: dict,
                 disc_id: dict,
                 disc_pose: dict,
                 gan_loss: dict = dict(type='GANLoss',
                                       smooth_real=(0.7, 1.0),
                                       smooth_fake=(0.0, 0.3),
                                       flip_prob=1 / 10001),
                 loss_weights: Optional[Dict[str, float]] = None,
                 disc_id_init_from_encoder: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 frozen_modules: Sequence[str] = (),
                 frozen_bn_modules: Sequence[str] = (),
                 **kwargs) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='PoseTransferDataPreprocessor',
                                     mean=[123.675, 116.28, 103.53],
                                     std=[58.395, 57.12, 57.375],
                                     to_rgb=True)
        super().__init__(data_preprocessor=data_preprocessor,
                         loss_weights=loss_weights,
                         frozen_modules=frozen_modules,
                         frozen_bn_modules=frozen_bn_modules,
                         **kwargs)
        self.encoder = MODELS.build(encoder)
        self.generator = MODELS.build(generator)
        self.disc_id = MODELS.build(disc_id)
        self.disc_pose = MODELS.build(disc_pose)
        self.gan_loss = MODELS.build(gan_loss)
        self.disc_id_init_from_encoder = disc_id_init_from_encoder
        if self.module('disc_id').head.num_classes != 1:
            raise ValueError('FDGAN: disc_id needs a 1-logit head '
                             '(head.num_classes=1)')
        self.noise_channels = self.module('generator').noise_channels
        self.apply_freezing()

    def init_weights(self) -> None:
        """Initialise the networks; then copy E into D_id if asked."""
        super().init_weights()
        if self.disc_id_init_from_encoder:
            copy_verifier_to_discriminator(self.module('encoder'),
                                           self.module('disc_id'))
            MMLogger.get_current_instance().info(
                'FDGAN: disc_id initialised from the encoder (its '
                '"same identity" logit)')

    # ---------------------------------------------------------- inference --
    @property
    def encoder_trained(self) -> bool:
        """bool: Whether E is trained in this stage."""
        return 'encoder' not in self.frozen_modules

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """E's re-ID features (with E's flip option), N x D."""
        return self.module('encoder').predict_feat(inputs)

    def distance_matrix(self, query: Tensor, gallery: Tensor) -> Tensor:
        """Cascade distances of E + V (see
        :meth:`VerificationReID.distance_matrix`)."""
        return self.module('encoder').distance_matrix(query, gallery)

    def generate(self,
                 inputs: Tensor,
                 pose_maps: Tensor,
                 noise: Optional[Tensor] = None) -> Tensor:
        """Generate ``inputs``' persons in the poses ``pose_maps``.

        Args:
            inputs (Tensor): N x 3 x H x W normalised images.
            pose_maps (Tensor): N x P x H x W target pose maps.
            noise (Tensor, optional): N x Z; drawn from N(0, 1) if None.

        Returns:
            Tensor: N x 3 x H x W generated images (normalised space;
            ``data_preprocessor.destruct`` makes them uint8 RGB).
        """
        feats = self.module('encoder').extract_feat(inputs)
        if noise is None:
            noise = torch.randn(inputs.shape[0],
                                self.noise_channels,
                                device=inputs.device)
        return self.module('generator')(pose_maps, feats, noise)

    # ----------------------------------------------------------- training --
    def forward_train(self, inputs: PairInputs,
                      data_samples: List[ReIDDataSample]) -> dict:
        """Encode the pairs and generate them in their target poses."""
        num = inputs.num_pairs
        origin = inputs.branches('img')
        target = inputs.branches('target_img')
        pose = inputs.branches('pose_maps')
        labels = gt_labels(data_samples, origin.device, 'FDGAN')
        noise = torch.randn(num, self.noise_channels, device=origin.device)
        noise = torch.cat([noise, noise])
        pair_feats = None
        if self.encoder_trained:
            feats = self.encoder(origin, mode='tensor')
            if self.loss_weights['verif'] > 0:
                pair_feats = torch.stack([feats[:num], feats[num:]], 1)
        else:
            with torch.no_grad():
                feats = self.module('encoder').extract_feat(origin)
        fake = self.generator(pose, feats, noise)
        return dict(origin=origin,
                    target=target,
                    pose=pose,
                    fake=fake,
                    pair_feats=pair_feats,
                    labels=labels,
                    num_pairs=num)

    def _disc_id_logits(self, disc, origin: Tensor, other: Tensor) -> Tensor:
        """D_id logits of (origin, other) pairs; ``disc`` may be wrapped."""
        num = origin.shape[0]
        feats = disc(torch.cat([origin, other]), mode='tensor')
        return self.module('disc_id').head(feats[:num], feats[num:])

    def disc_loss(self, name: str, outputs: dict,
                  data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """The loss of D_id or D_pd, on real targets vs detached fakes."""
        fake = outputs['fake'].detach()
        origin, target = outputs['origin'], outputs['target']
        if name == 'disc_id':
            num = origin.shape[0]
            feats = self.disc_id(torch.cat([origin, target, fake]),
                                 mode='tensor')
            head = self.module('disc_id').head
            real = head(feats[:num], feats[num:2 * num])
            fake_logits = head(feats[:num], feats[2 * num:])
        elif name == 'disc_pose':
            pose = outputs['pose']
            real = self.disc_pose(torch.cat([pose, target], dim=1))
            fake_logits = self.disc_pose(torch.cat([pose, fake], dim=1))
        else:
            raise KeyError(f'FDGAN has no discriminator {name!r}')
        return dict(loss_gan=self.gan_loss.disc_loss(real, fake_logits))

    def gen_loss(self, outputs: dict,
                 data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """L_v, L_r, L_sp and the two adversarial terms, weighted."""
        w = self.loss_weights
        fake, target = outputs['fake'], outputs['target']
        labels, num = outputs['labels'], outputs['num_pairs']
        losses: Dict[str, Tensor] = {}
        if outputs['pair_feats'] is not None:
            verif = self.module('encoder').head.loss(outputs['pair_feats'],
                                                     data_samples)
            losses['loss_verif'] = w['verif'] * verif['loss_verif']
            losses['acc_verif'] = verif['acc_verif']
        if w['rec'] > 0:
            losses['loss_rec'] = w['rec'] * F.l1_loss(fake, target)
        if w['same_pose'] > 0:
            pos = labels == 1
            if pos.any():
                sp = F.l1_loss(fake[:num][pos], fake[num:][pos])
            else:
                sp = fake.sum() * 0
            losses['loss_same_pose'] = w['same_pose'] * sp
        if w['adv_id'] > 0:
            logit = self._disc_id_logits(self.module('disc_id'),
                                         outputs['origin'], fake)
            losses['loss_adv_id'] = w['adv_id'] * self.gan_loss(logit, True)
        if w['adv_pose'] > 0:
            logit = self.module('disc_pose')(torch.cat([outputs['pose'], fake],
                                                       dim=1))
            losses['loss_adv_pose'] = w['adv_pose'] * self.gan_loss(
                logit, True)
        return losses
