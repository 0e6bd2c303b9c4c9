# Copyright (c) mmreid contributors. All rights reserved.
"""The multi-optimizer training step shared by the re-ID GANs."""
from abc import abstractmethod
from typing import Dict, List, Optional, Sequence, Tuple, Union

from mmengine.dist import all_reduce, get_world_size
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapperDict
from torch import Tensor, nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmreid.structures import ReIDDataSample
from ..reid.base import BaseReID
from ..utils import set_requires_grad, unwrap_model


class BaseReIDGAN(BaseReID):
    """Base class of GANs for re-ID (FD-GAN, PN-GAN, IP-GAN).

    Follows mmagic's ``BaseGAN`` / pix2pix pattern (docs/en/architecture.md,
    GAN core) with what re-ID's multi-stage papers need:

    - **Named optimizers.** :meth:`train_step` receives an
      :class:`~mmengine.optim.OptimWrapperDict` (built by
      :class:`~mmreid.engine.MultiOptimWrapperConstructor` from config)
      holding one wrapper per discriminator (``discriminator_names``) and
      one, ``generator_optim_key``, for the generator and every other
      trained network (e.g. the re-ID encoder in a fine-tuning stage).
    - **Step order and counts.** Every call runs the shared forward
      (:meth:`forward_train`), updates each discriminator in
      ``discriminator_names`` order (losses from :meth:`disc_loss`), then,
      every ``discriminator_steps``-th call, freezes the discriminators'
      gradients and updates the generator ``generator_steps`` times
      (losses from :meth:`gen_loss`; the forward is recomputed for the
      second and later steps). ``generator_first=True`` swaps the two:
      generator side first, then the discriminators on the (detached)
      fakes of the shared forward.
    - **Per-stage freezing.** ``frozen_modules`` are put in eval mode and
      lose their gradients (they need no optimizer);
      ``frozen_bn_modules`` keep training but their BatchNorm layers stay
      in eval mode (running statistics fixed), as FD-GAN's ``set_bn_fix``.
      Both survive ``model.train()``.
    - **Per-stage loss weights.** ``loss_weights`` overrides the class's
      ``default_loss_weights``; unknown names raise. Subclasses skip the
      terms whose weight is 0.
    - **Per-network objectives.** By default the generator side is one
      optimizer (``generator_optim_key``) stepped on the sum of
      :meth:`gen_loss`. ``generator_objectives`` maps several optimizer
      keys to the loss names each one minimises (IP-GAN: the attribute
      encoder on ``l_KL + l_GR``, the generator on ``l_GR + l_GD +
      l_GC``): every sum is back-propagated through the shared graph
      (each wrapper's ``backward``, the graph retained), each network
      keeps only the gradient of its own sum, and then every generator-
      side optimizer steps. A network thus gets no gradient from the
      terms outside its objective even when they depend on it.
    - **Discriminator loss factor.** ``disc_loss_factor`` multiplies every
      discriminator's losses (e.g. 0.5 for ``(l_real + l_fake) / 2``).
    - **Re-ID evaluation.** A :class:`BaseReID`: ``'predict'`` mode returns
      data samples with ``pred_feature`` (:meth:`extract_feat`), so
      ``ReIDMetric`` evaluates a GAN like any re-ID model; ``'loss'`` mode
      is refused (training goes through :meth:`train_step`).

    Sub-networks may be wrapped by ``MMSeparateDistributedDataParallel``;
    call a trained network through its attribute (the DDP wrapper) in
    :meth:`forward_train`, and use :meth:`module` for the plain module
    (frozen networks, attribute access, discriminators during the
    generator step).

    Args:
        data_preprocessor (dict | nn.Module, optional): The batch
            preprocessor.
        loss_weights (dict, optional): Loss weights by name.
        frozen_modules (Sequence[str]): Sub-modules frozen for this stage.
        frozen_bn_modules (Sequence[str]): Sub-modules whose BN layers are
            kept in eval mode.
        discriminator_steps (int): Discriminator updates per generator
            update. Defaults to 1.
        generator_steps (int): Generator updates per generator turn.
            Defaults to 1.
        generator_first (bool): Update the generator side before the
            discriminators (pix2pix / PN-GAN's order: the discriminators
            then score the fakes of the shared forward). Defaults to False
            (discriminators first, FD-GAN's order).
        generator_objectives (dict, optional): ``{optimizer key: [loss
            name, ...]}`` of the generator side (names of
            :meth:`gen_loss`'s dict). None (default): one optimizer,
            ``generator_optim_key``, on the sum of all losses.
        disc_loss_factor (float): Multiplies the discriminators' losses.
            Defaults to 1.0.
        init_cfg (dict, optional): Initialisation config.
    """

    #: Names (sub-module = optimizer key) of the discriminators, in update
    #: order.
    discriminator_names: Sequence[str] = ()
    #: Optimizer key of the generator side.
    generator_optim_key: str = 'generator'
    #: Loss weights of the method; ``loss_weights`` overrides them.
    default_loss_weights: Dict[str, float] = {}
    #: Names :meth:`gen_loss` may return (checks ``generator_objectives``;
    #: empty: not checked).
    generator_loss_names: Sequence[str] = ()

    def __init__(self,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 loss_weights: Optional[Dict[str, float]] = None,
                 frozen_modules: Sequence[str] = (),
                 frozen_bn_modules: Sequence[str] = (),
                 discriminator_steps: int = 1,
                 generator_steps: int = 1,
                 generator_first: bool = False,
                 generator_objectives: Optional[Dict[str,
                                                     Sequence[str]]] = None,
                 disc_loss_factor: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        unknown = set(loss_weights or {}) - set(self.default_loss_weights)
        if unknown:
            raise KeyError(f'{type(self).__name__}: unknown loss_weights '
                           f'{sorted(unknown)}; valid names are '
                           f'{sorted(self.default_loss_weights)}')
        self.loss_weights = {
            **self.default_loss_weights,
            **(loss_weights or {})
        }
        if discriminator_steps < 1 or generator_steps < 1:
            raise ValueError('discriminator_steps and generator_steps must '
                             'be >= 1')
        self.discriminator_steps = int(discriminator_steps)
        self.generator_steps = int(generator_steps)
        self.generator_first = bool(generator_first)
        self.frozen_modules = tuple(frozen_modules)
        self.frozen_bn_modules = tuple(frozen_bn_modules)
        if not disc_loss_factor > 0:
            raise ValueError(
                f'disc_loss_factor must be > 0, got {disc_loss_factor}')
        self.disc_loss_factor = float(disc_loss_factor)
        self.generator_objectives = self._check_objectives(
            generator_objectives)

    def _check_objectives(
        self, objectives: Optional[Dict[str, Sequence[str]]]
    ) -> Optional[Dict[str, Tuple[str, ...]]]:
        """Validate ``generator_objectives``; None stays None."""
        if objectives is None:
            return None
        if not objectives:
            raise ValueError('generator_objectives must name at least one '
                             'optimizer key (or be None)')
        out = {}
        known = set(self.generator_loss_names)
        for key, names in objectives.items():
            if isinstance(names, str):
                names = [names]
            names = tuple(names)
            if not names:
                raise ValueError(f'generator_objectives.{key} is empty')
            unknown = set(names) - known if known else set()
            if unknown:
                raise KeyError(
                    f'{type(self).__name__}: generator_objectives.{key} '
                    f'names unknown losses {sorted(unknown)}; valid names '
                    f'are {sorted(known)}')
            if key in self.discriminator_names:
                raise ValueError(f'generator_objectives: {key!r} is a '
                                 'discriminator')
            out[key] = names
        return out

    @property
    def generator_optim_keys(self) -> Tuple[str, ...]:
        """tuple[str]: The optimizer keys of the generator side."""
        if self.generator_objectives is None:
            return (self.generator_optim_key, )
        return tuple(self.generator_objectives)

    # --------------------------------------------------------- structure --
    def module(self, name: str) -> nn.Module:
        """The sub-module ``name`` without its DDP wrapper."""
        sub = getattr(self, name, None)
        if not isinstance(sub, nn.Module):
            raise AttributeError(f'{type(self).__name__} has no sub-module '
                                 f'{name!r}')
        return unwrap_model(sub)

    def apply_freezing(self) -> None:
        """Apply ``frozen_modules`` / ``frozen_bn_modules``.

        Call it at the end of a subclass's ``__init__`` (before any DDP
        wrapping: separate DDP does not wrap a network without trainable
        parameters); :meth:`train` re-applies the eval modes.
        """
        for name in self.frozen_modules + self.frozen_bn_modules:
            self.module(name)  # raises on an unknown name
        for name in self.frozen_modules:
            set_requires_grad(self.module(name), False)
        self._apply_eval_modes()

    def _apply_eval_modes(self) -> None:
        for name in self.frozen_modules:
            self.module(name).eval()
        for name in self.frozen_bn_modules:
            for m in self.module(name).modules():
                if isinstance(m, _BatchNorm):
                    m.eval()

    def train(self, mode: bool = True) -> 'BaseReIDGAN':
        """Set the mode, keeping the frozen parts in eval mode."""
        super().train(mode)
        if mode:
            self._apply_eval_modes()
        return self

    # ------------------------------------------------------- subclass API --
    @abstractmethod
    def forward_train(self, inputs,
                      data_samples: List[ReIDDataSample]) -> dict:
        """The shared forward of a training step (e.g. encode, generate)."""

    @abstractmethod
    def disc_loss(self, name: str, outputs: dict,
                  data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """Losses of discriminator ``name`` (use detached fakes)."""

    @abstractmethod
    def gen_loss(self, outputs: dict,
                 data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """Losses of the generator side (discriminators have no grads)."""

    # ------------------------------------------------------------- steps --
    def _check_optim_wrapper(self, optim_wrapper: OptimWrapperDict) -> None:
        if not isinstance(optim_wrapper, OptimWrapperDict):
            raise TypeError(
                f'{type(self).__name__}.train_step needs an OptimWrapperDict '
                "(optim_wrapper=dict(constructor='MultiOptimWrapper"
                "Constructor', generator=..., <discriminator>=...)), got "
                f'{type(optim_wrapper).__name__}')
        expected = set(self.discriminator_names) | set(
            self.generator_optim_keys)
        have = set(optim_wrapper.keys())
        if have != expected:
            raise KeyError(
                f'{type(self).__name__}: optim_wrapper keys {sorted(have)} '
                f'must be exactly {sorted(expected)}')

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One training iteration: discriminators and generator.

        The discriminators come first, then the generator side (every
        ``discriminator_steps``-th call); with ``generator_first`` the
        generator side is updated first and the discriminators then see
        the fakes of the shared forward (made before that update).

        Args:
            data (dict): A batch from the dataloader.
            optim_wrapper (OptimWrapperDict): The named wrappers.

        Returns:
            dict: Log variables (``loss_*`` of every update, prefixed by
            the discriminator name for discriminator losses).
        """
        self._check_optim_wrapper(optim_wrapper)
        data = self.data_preprocessor(data, True)
        inputs, data_samples = data['inputs'], data['data_samples']
        gen_wrapper = optim_wrapper[self.generator_optim_keys[0]]
        with gen_wrapper.optim_context(self):
            outputs = self.forward_train(inputs, data_samples)
        if self.generator_objectives is not None:
            gen_wrapper = optim_wrapper

        log_vars: Dict[str, Tensor] = {}
        curr_iter = MessageHub.get_current_instance().get_info('iter', 0)
        gen_turn = (curr_iter + 1) % self.discriminator_steps == 0
        if gen_turn and self.generator_first:
            log_vars.update(
                self._update_generator(outputs, inputs, data_samples,
                                       gen_wrapper))
        log_vars.update(
            self._update_discriminators(outputs, data_samples,
                                        optim_wrapper))
        if gen_turn and not self.generator_first:
            log_vars.update(
                self._update_generator(outputs, inputs, data_samples,
                                       gen_wrapper))
        return log_vars

    def _update_discriminators(self, outputs: dict, data_samples,
                               optim_wrapper: OptimWrapperDict) -> dict:
        """Update each discriminator once; return its log variables."""
        log_vars: Dict[str, Tensor] = {}
        for name in self.discriminator_names:
            wrapper = optim_wrapper[name]
            with wrapper.optim_context(self.module(name)):
                losses = self.disc_loss(name, outputs, data_samples)
            if self.disc_loss_factor != 1.0:
                losses = {
                    k: v * self.disc_loss_factor if 'loss' in k else v
                    for k, v in losses.items()
                }
            loss, dlog = self.parse_losses(losses)
            wrapper.update_params(loss)
            log_vars.update({
                f'{name}.{k}': v
                for k, v in dlog.items() if k != 'loss'
            })
        return log_vars

    def _update_generator(self, outputs: dict, inputs, data_samples,
                          gen_wrapper) -> dict:
        """``generator_steps`` updates of the generator side (the
        discriminators without gradients); return the last log."""
        discs = [self.module(n) for n in self.discriminator_names]
        for d in discs:
            set_requires_grad(d, False)
        objectives = self.generator_objectives
        context = (gen_wrapper if objectives is None else
                   gen_wrapper[self.generator_optim_keys[0]])
        try:
            for step in range(self.generator_steps):
                with context.optim_context(self):
                    if step > 0:
                        outputs = self.forward_train(inputs, data_samples)
                    losses = self.gen_loss(outputs, data_samples)
                loss, glog = self.parse_losses(losses)
                if objectives is None:
                    gen_wrapper.update_params(loss)
                else:
                    glog.update(self._update_objectives(losses, gen_wrapper))
        finally:
            for d in discs:
                set_requires_grad(d, True)
        return glog

    def _update_objectives(self, losses: Dict[str, Tensor],
                           optim_wrapper: OptimWrapperDict) -> dict:
        """Update each generator-side network from its own objective.

        Each objective's sum is back-propagated by its wrapper (the graph
        retained for the next one); the gradients of that wrapper's
        parameters are kept, the others dropped; then every wrapper steps.
        Objectives whose losses are all absent (weight 0) are skipped.
        Under DDP the wrappers average the first objective's gradients;
        the later ones' are averaged across processes here.

        Returns:
            dict: ``<key>.loss``, the detached sum of each objective.
        """
        params = {
            key: [
                p for group in optim_wrapper[key].optimizer.param_groups
                for p in group['params']
            ]
            for key in self.generator_objectives
        }
        every = [p for ps in params.values() for p in ps]
        totals = {}
        for key, names in self.generator_objectives.items():
            terms = [losses[n] for n in names if n in losses]
            if terms:
                totals[key] = sum(terms)
        grads = {}
        keys = list(totals)
        for i, key in enumerate(keys):
            for p in every:
                p.grad = None
            optim_wrapper[key].backward(totals[key],
                                        retain_graph=i < len(keys) - 1)
            grads[key] = [p.grad for p in params[key]]
            if i > 0 and get_world_size() > 1:
                # DDP averages the gradients of the first backward after a
                # forward only; average the later objectives' here
                for g in grads[key]:
                    if g is not None:
                        all_reduce(g, op='mean')
        for p in every:
            p.grad = None
        for key in keys:
            for p, g in zip(params[key], grads[key]):
                p.grad = g
            optim_wrapper[key].step()
            optim_wrapper[key].zero_grad()
        return {f'{k}.loss': v.detach() for k, v in totals.items()}

    def loss(self, inputs, data_samples):
        """Refused: a GAN trains through :meth:`train_step`."""
        raise ValueError(
            f"{type(self).__name__}: mode 'loss' is not supported; a GAN "
            'trains through train_step (several optimizers)')
