# IP-GAN stage 2: Adam 2e-4, betas (0.5, 0.999) for A, G, D and C
# [paper?], constant learning rate; per iteration D, then C, then A and G
# (each on its own objective).
_adam = dict(optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
optim_wrapper = dict(constructor='MultiOptimWrapperConstructor',
                     attribute_encoder=_adam,
                     generator=_adam,
                     discriminator=_adam,
                     classifier=_adam)
param_scheduler = None
train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=100000)
# the GAN stage has no re-ID evaluation (I is the stage-1 network); see
# tools/analysis_tools/identity_preservation.py
val_cfg = None
test_cfg = None
