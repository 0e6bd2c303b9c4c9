# Copyright (c) mmreid contributors. All rights reserved.
"""IP-GAN: Bao et al., "Towards Open-Set Identity Preserving Face
Synthesis", CVPR 2018, on person images."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from mmreid.registry import MODELS
from mmreid.structures import PairInputs, ReIDDataSample
# Imported for registration (IPGAN builds them by name).
from ..gan_modules import (AttributeEncoder, FeatureDiscriminator,  # noqa
                           IdentityAttributeGenerator)
from ..losses import (AsymmetricReconstructionLoss,  # noqa: F401
                      FeatureMatchingLoss, GANLoss, GaussianKLLoss)
from .base_reid_gan import BaseReIDGAN

#: The paper's per-network objectives: A on l_KL + l_GR, G on l_GR + l_GD
#: + l_GC.
IPGAN_OBJECTIVES = dict(attribute_encoder=['loss_kl', 'loss_rec'],
                        generator=['loss_rec', 'loss_gd', 'loss_gc'])


@MODELS.register_module()
class IPGAN(BaseReIDGAN):
    """IP-GAN: a person's identity from a subject image, the attributes
    (pose, background, camera, light) from an attribute image.

    Networks (built from config):

    - ``identity_encoder`` I: a re-ID network (:class:`Baseline`)
      pre-trained with the softmax identity loss l_I (stage 1), frozen
      here; its feature is f_I(x_s);
    - ``attribute_encoder`` A (:class:`AttributeEncoder`): ``mu``,
      ``logvar`` of x_a; the code ``z = mu + r * exp(logvar / 2)``;
    - ``generator`` G (:class:`IdentityAttributeGenerator`):
      ``x' = G(concat(f_I(x_s), z))``;
    - ``discriminator`` D (:class:`FeatureDiscriminator`): real (x_a) vs
      fake (x'); its penultimate feature f_D;
    - ``classifier`` C (a :class:`Baseline` with a classifier, usually
      initialised from stage 1 like I): identities of the real subjects;
      its penultimate feature f_C (:meth:`Baseline.classify`).

    A training batch (``PairDataset(pairing='per_anchor',
    positive_prob=...)`` + ``PairDataPreprocessor``) is a
    :class:`~mmreid.structures.PairInputs`: pair ``i`` is (subject,
    attribute) = ``img[i, 0], img[i, 1]``, with the samples' metainfo
    ``labels`` (training labels), ``pair_idx`` and ``gt_label`` (1 for one
    identity).

    Losses (each scaled by ``loss_weights``):

    - D: l_D = BCE(D(x_a), 1) + BCE(D(x'), 0) (x' detached), times
      ``disc_loss_factor``;
    - C: ``cls`` x l_C, softmax cross-entropy of C on the subjects;
    - A and G: ``kl`` x l_KL (:class:`GaussianKLLoss`), ``rec`` x l_GR
      (:class:`AsymmetricReconstructionLoss`: full weight when the pair
      *matches*, ``match='image'``: x_s and x_a are the same image, or
      ``'identity'``: the same person; 0.1 otherwise), ``gd`` x l_GD
      (:class:`FeatureMatchingLoss` of f_D(x') and f_D(x_a)), ``gc`` x
      l_GC (of f_C(x') and f_C(x_s)).

    Order per iteration (:class:`BaseReIDGAN`): the shared forward (I, A,
    G), update D, update C, then A and G with their own objectives
    (``generator_objectives``, by default A <- l_KL + l_GR and G <- l_GR +
    l_GD + l_GC: A gets no gradient from l_GD / l_GC) with D and C
    without gradients.

    Inference: :meth:`generate` uses A's mean (no sampling), for any
    subject (seen in training or not) and attribute image;
    :meth:`extract_feat` is I's re-ID feature.

    Args:
        identity_encoder (dict): I config.
        attribute_encoder (dict): A config.
        generator (dict): G config.
        discriminator (dict): D config.
        classifier (dict): C config.
        match (str): ``'image'`` or ``'identity'``: when a pair gets the
            full reconstruction weight. Defaults to ``'image'``.
        gan_loss (dict): D's loss. Defaults to vanilla BCE.
        kl_loss, rec_loss, gd_loss, gc_loss (dict): The loss modules.
        loss_weights (dict, optional): ``kl``, ``rec``, ``gd``, ``gc``,
            ``cls``; all 1 by default.
        generator_objectives (dict, optional): Defaults to
            :data:`IPGAN_OBJECTIVES`.
        frozen_modules (Sequence[str]): Defaults to
            ``('identity_encoder', )``, which is required.
        data_preprocessor (dict, optional): Defaults to a
            ``PairDataPreprocessor`` to [-1, 1] RGB.
        **kwargs: ``disc_loss_factor``, ``discriminator_steps``,
            ``generator_steps``, ``init_cfg`` (:class:`BaseReIDGAN`).

    Examples:
        >>> reid = dict(type='Baseline',
        ...             backbone=dict(type='mmpretrain.ResNet', depth=18,
        ...                           out_indices=(3, )),
        ...             head=dict(type='BNNeckHead', in_channels=512,
        ...                       num_classes=4, loss_triplet=None))
        >>> model = IPGAN(
        ...     identity_encoder=reid,
        ...     attribute_encoder=dict(type='AttributeEncoder',
        ...                            input_size=(32, 16), base_channels=4,
        ...                            num_downsamples=3, latent_dim=8),
        ...     generator=dict(type='IdentityAttributeGenerator',
        ...                    identity_dim=512, attribute_dim=8,
        ...                    output_size=(32, 16), ngf=4,
        ...                    num_upsamples=3),
        ...     discriminator=dict(type='FeatureDiscriminator',
        ...                        input_size=(32, 16), ndf=4,
        ...                        num_downsamples=3, feat_dim=8),
        ...     classifier=reid)
        >>> _ = model.eval()
        >>> x_s, x_a = torch.randn(2, 3, 32, 16), torch.randn(2, 3, 32, 16)
        >>> model.generate(x_s, x_a).shape
        torch.Size([2, 3, 32, 16])
        >>> model(x_s).shape  # re-ID features (I)
        torch.Size([2, 512])
    """

    discriminator_names = ('discriminator', 'classifier')
    generator_optim_key = 'generator'
    default_loss_weights = dict(kl=1., rec=1., gd=1., gc=1., cls=1.)
    generator_loss_names = ('loss_kl', 'loss_rec', 'loss_gd', 'loss_gc')
    #: The generator takes no noise besides the attribute code.
    noise_channels = 0
    has_reid_features = True
    MATCHES = ('image', 'identity')

    def __init__(self,
                 identity_encoder: dict,
                 attribute_encoder: dict,
                 generator: dict,
                 discriminator: dict,
                 classifier: dict,
                 match: str = 'image',
                 gan_loss: dict = dict(type='GANLoss'),
                 kl_loss: dict = dict(type='GaussianKLLoss'),
                 rec_loss: dict = dict(type='AsymmetricReconstructionLoss',
                                       mismatch_weight=0.1),
                 gd_loss: dict = dict(type='FeatureMatchingLoss'),
                 gc_loss: dict = dict(type='FeatureMatchingLoss'),
                 loss_weights: Optional[Dict[str, float]] = None,
                 generator_objectives: Optional[Dict[
                     str, Sequence[str]]] = IPGAN_OBJECTIVES,
                 frozen_modules: Sequence[str] = ('identity_encoder', ),
                 data_preprocessor: Optional[dict] = None,
                 **kwargs) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='PairDataPreprocessor',
                                     mean=[127.5] * 3,
                                     std=[127.5] * 3,
                                     to_rgb=True)
        if match not in self.MATCHES:
            raise ValueError(f'IPGAN: match must be one of {self.MATCHES}, '
                             f'got {match!r}')
        if 'identity_encoder' not in frozen_modules:
            raise ValueError('IPGAN: the identity encoder is pre-trained '
                             '(stage 1) and frozen; keep it in '
                             'frozen_modules')
        super().__init__(data_preprocessor=data_preprocessor,
                         loss_weights=loss_weights,
                         frozen_modules=frozen_modules,
                         generator_objectives=generator_objectives,
                         **kwargs)
        self.match = match
        self.identity_encoder = MODELS.build(identity_encoder)
        self.attribute_encoder = MODELS.build(attribute_encoder)
        self.generator = MODELS.build(generator)
        self.discriminator = MODELS.build(discriminator)
        self.classifier = MODELS.build(classifier)
        self.gan_loss = MODELS.build(gan_loss)
        self.kl_loss = MODELS.build(kl_loss)
        self.rec_loss = MODELS.build(rec_loss)
        self.gd_loss = MODELS.build(gd_loss)
        self.gc_loss = MODELS.build(gc_loss)
        self.apply_freezing()

    # ---------------------------------------------------------- inference --
    def extract_feat(self, inputs: Tensor) -> Tensor:
        """I's re-ID features (with I's test options), N x D."""
        return self.module('identity_encoder').predict_feat(inputs)

    def identity_code(self, subject: Tensor) -> Tensor:
        """f_I: I's feature of normalised subject images, N x D."""
        return self.module('identity_encoder').extract_feat(subject)

    def generate(self, subject: Tensor, attribute: Tensor) -> Tensor:
        """The subjects' persons with the attribute images' attributes.

        Args:
            subject (Tensor): N x 3 x H x W normalised subject images.
            attribute (Tensor): N x 3 x H x W normalised attribute images.

        Returns:
            Tensor: N x 3 x H x W generated images (normalised space;
            ``data_preprocessor.destruct`` makes them uint8 RGB), from A's
            mean code (no sampling).
        """
        mu, _ = self.module('attribute_encoder')(attribute)
        return self.module('generator')(self.identity_code(subject), mu)

    # ----------------------------------------------------------- training --
    def _pair_fields(self, data_samples: List[ReIDDataSample],
                     device) -> Dict[str, Tensor]:
        """Subject labels and the matching flags of the pairs."""
        labels, matching = [], []
        for s in data_samples:
            if 'labels' not in s.metainfo or 'pair_idx' not in s.metainfo:
                raise KeyError('IPGAN: training samples need the metainfo '
                               '`labels` and `pair_idx` of PairDataset')
            labels.append(int(s.labels[0]))
            if self.match == 'image':
                i, j = s.pair_idx
                matching.append(int(i) == int(j))
            else:
                matching.append(int(s.labels[0]) == int(s.labels[1]))
        return dict(labels=torch.tensor(labels, device=device),
                    matching=torch.tensor(matching, device=device))

    def forward_train(self, inputs: PairInputs,
                      data_samples: List[ReIDDataSample]) -> dict:
        """f_I of the subjects, A's code of the attributes, G's images."""
        subject, attribute = inputs.img[:, 0], inputs.img[:, 1]
        with torch.no_grad():
            f_id = self.identity_code(subject)
        mu, logvar = self.attribute_encoder(attribute)
        z = AttributeEncoder.reparameterize(mu, logvar)
        fake = self.generator(f_id, z)
        return dict(subject=subject,
                    attribute=attribute,
                    fake=fake,
                    mu=mu,
                    logvar=logvar,
                    **self._pair_fields(data_samples, subject.device))

    def disc_loss(self, name: str, outputs: dict,
                  data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """l_D of D (real x_a vs detached x'), or l_C of C (subjects)."""
        if name == 'discriminator':
            real = self.discriminator(outputs['attribute'])
            fake = self.discriminator(outputs['fake'].detach())
            return dict(
                loss_real=self.gan_loss(real, True, is_disc=True),
                loss_fake=self.gan_loss(fake, False, is_disc=True))
        if name == 'classifier':
            # through the (DDP) wrapper: the penultimate feature, then the
            # classifier layer (the feature is the head's 'after_bn' one)
            feats = self.classifier(outputs['subject'], mode='tensor')
            logits = self.module('classifier').head.classifier(feats)
            labels = outputs['labels']
            with torch.no_grad():
                acc = (logits.argmax(1) == labels).float().mean() * 100
            return dict(loss_cls=self.loss_weights['cls'] *
                        F.cross_entropy(logits, labels),
                        accuracy=acc)
        raise KeyError(f'IPGAN has no discriminator {name!r}')

    def gen_loss(self, outputs: dict,
                 data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """l_KL, l_GR, l_GD and l_GC, weighted (zero weights skipped)."""
        w = self.loss_weights
        fake = outputs['fake']
        losses: Dict[str, Tensor] = {}
        if w['kl'] > 0:
            losses['loss_kl'] = w['kl'] * self.kl_loss(
                outputs['mu'], outputs['logvar'])
        if w['rec'] > 0:
            losses['loss_rec'] = w['rec'] * self.rec_loss(
                fake, outputs['attribute'], outputs['matching'])
        if w['gd'] > 0:
            disc = self.module('discriminator')
            _, f_fake = disc(fake, return_feat=True)
            with torch.no_grad():
                _, f_real = disc(outputs['attribute'], return_feat=True)
            losses['loss_gd'] = w['gd'] * self.gd_loss(f_fake, f_real)
        if w['gc'] > 0:
            cls = self.module('classifier')
            _, c_fake = cls.classify(fake)
            with torch.no_grad():
                _, c_real = cls.classify(outputs['subject'])
            losses['loss_gc'] = w['gc'] * self.gc_loss(c_fake, c_real)
        return losses
