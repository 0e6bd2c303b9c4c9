# Copyright (c) mmreid contributors. All rights reserved.
"""The procedurally generated demo dataset as a registered dataset."""
from typing import Sequence, Union

from mmreid.registry import DATASETS
from .demo.generate import generate_demo_dataset
from .market1501 import Market1501


@DATASETS.register_module()
class DemoReID(Market1501):
    """The demo dataset: procedurally drawn persons in Market-1501 layout.

    Persons are an articulated COCO-17 skeleton in varied walking poses and
    views, with clothing colours, patterns, hair and bags per identity drawn
    from small shared palettes (so no single cue identifies a person), seen
    by cameras with their own background, colour cast, light, blur, noise
    and person scale. Exact ground-truth keypoints are written as the
    keypoint cache ``keypoints_coco17.json`` at the root, so pose-guided
    methods can use ``keypoint_file='keypoints_coco17.json'`` without a pose
    estimator. See :func:`mmreid.datasets.demo.generate_demo_dataset`.

    With ``generate=True`` (the default) the data are generated at
    ``data_root`` when missing (a few seconds for the default size);
    concurrent builders (DDP ranks) are safe, since the data are written to
    a temporary folder and renamed into place. An existing demo dataset made
    with other parameters is an error (pass the same parameters, regenerate
    with ``tools/misc/make_demo_dataset.py --overwrite``, or set
    ``generate=False`` to load whatever is there).

    Args:
        data_root (str): Where the dataset is (or is generated).
        generate (bool): Generate the data if missing. Defaults to True.
        num_train_ids (int): Training identities. Defaults to 100.
        num_test_ids (int): Test identities. Defaults to 100.
        num_cameras (int): Cameras. Defaults to 6.
        images_per_id (int | Sequence[int]): Images per identity, exact or
            an inclusive ``(min, max)`` range. Defaults to (12, 16).
        img_size (Sequence[int]): (height, width). Defaults to (128, 64).
        seed (int): The generator's seed. Defaults to 0.
        num_distractors (int): Gallery distractors (pid 0). Defaults to 20.
        num_junk (int): Gallery junk images (pid -1, dropped at load).
            Defaults to 10.
        **kwargs: See :class:`Market1501` and :class:`BaseReIDDataset`
            (``test_mode``, ``keypoint_file``, ``pipeline``, ...).

    Examples:
        >>> import tempfile, os.path as osp
        >>> root = osp.join(tempfile.mkdtemp(), 'demo')
        >>> small = dict(num_train_ids=3, num_test_ids=2, num_cameras=3,
        ...              images_per_id=4, img_size=(32, 16),
        ...              num_distractors=1, num_junk=1)
        >>> ds = DemoReID(data_root=root, **small)
        >>> ds.metainfo['num_classes'], len(ds)
        (3, 12)
        >>> ds = DemoReID(data_root=root, test_mode=True,
        ...               keypoint_file='keypoints_coco17.json', **small)
        >>> ds.metainfo['num_junk'], ds[0]['keypoints'].shape
        (1, (17, 3))
    """

    METAINFO = dict(dataset_name='demo')

    def __init__(self,
                 data_root: str,
                 generate: bool = True,
                 num_train_ids: int = 100,
                 num_test_ids: int = 100,
                 num_cameras: int = 6,
                 images_per_id: Union[int, Sequence[int]] = (12, 16),
                 img_size: Sequence[int] = (128, 64),
                 seed: int = 0,
                 num_distractors: int = 20,
                 num_junk: int = 10,
                 **kwargs) -> None:
        self.generation_summary = None
        if generate:
            self.generation_summary = generate_demo_dataset(
                data_root,
                num_train_ids=num_train_ids,
                num_test_ids=num_test_ids,
                num_cameras=num_cameras,
                images_per_id=images_per_id,
                img_size=img_size,
                seed=seed,
                num_distractors=num_distractors,
                num_junk=num_junk)
        super().__init__(data_root=data_root, **kwargs)
