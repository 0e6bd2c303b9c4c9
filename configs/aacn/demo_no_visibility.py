# The ablation of configs/aacn/demo.py without visibility scores: every
# part feature gets weight 1 in the composition; all else the same.
_base_ = ['./demo.py']

model = dict(composition=dict(visibility_weighting=False))
