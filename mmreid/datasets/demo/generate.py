# Copyright (c) mmreid contributors. All rights reserved.
"""Writing the demo dataset in Market-1501 layout.

Layout under ``root``::

    bounding_box_train/0001_c1s1_000025_00.jpg   train ids (odd pids)
    query/0002_c3s1_000050_00.jpg                 one per (test id, camera)
    bounding_box_test/0002_c1s1_000025_00.jpg     the other test images,
                                                  distractors (pid 0) and
                                                  junk (pid -1)
    keypoints_coco17.json                         exact COCO-17 keypoints
    meta.json                                     parameters and version

Determinism: identity ``k`` (1-based) of the training split has pid
``2k - 1`` and of the test split pid ``2k``. Its appearance depends only on
``(seed, pid)``; its cameras and image count on ``(seed, pid, num_cameras,
images_per_id)``; image ``i`` of it (pose, view, background crop, clutter,
light, noise) on ``(seed, pid, i)`` and its camera. Cameras depend on
``(seed, camera, img_size)``. So adding ids (or distractors) never changes
the images of the existing ids, and the same parameters give byte-identical
files.
"""
import json
import logging
import multiprocessing as mp
import os
import os.path as osp
import shutil
import tempfile
import time
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmengine.logging import print_log

from ..keypoint_cache import save_keypoint_cache
from .camera import Camera, apply_camera, background, make_camera
from .identity import Identity, identity_rng, sample_identity
from .render import render_person
from .skeleton import sample_pose

# Bump when the output changes: datasets of another version are remade.
VERSION = 2
GENERATOR = 'mmreid demo'
KEYPOINT_FILE = 'keypoints_coco17.json'
META_FILE = 'meta.json'
SPLIT_DIRS = dict(
    train='bounding_box_train', query='query', gallery='bounding_box_test')
JPEG_QUALITY = 90

# Independent random streams: np.random.default_rng([seed, stream, ...]);
# 1 = identity appearance (identity.py), 2 = cameras (camera.py).
_PLAN, _IMAGE, _DISTRACTOR, _JUNK = 3, 4, 5, 6


class DemoDatasetExistsError(FileExistsError):
    """Raised when ``root`` holds another dataset or other parameters."""


def train_pid(k: int) -> int:
    """The pid of the ``k``-th (1-based) training identity: ``2k - 1``."""
    return 2 * k - 1


def test_pid(k: int) -> int:
    """The pid of the ``k``-th (1-based) test identity: ``2k``."""
    return 2 * k


def frame_of(index: int) -> int:
    """The frame number written in the file name of image ``index``."""
    return 25 * (index + 1)


def market_name(pid: int, cam: int, index: int) -> str:
    """A Market-1501 file name, e.g. ``0002_c3s1_000050_00.jpg``.

    Args:
        pid (int): The person id (-1 for junk, 0 for distractors).
        cam (int): The 1-based camera.
        index (int): The image index (gives the frame number).

    Returns:
        str: The file name.

    Examples:
        >>> market_name(2, 3, 1), market_name(-1, 1, 0)
        ('0002_c3s1_000050_00.jpg', '-1_c1s1_000025_00.jpg')
    """
    tag = '-1' if pid == -1 else f'{pid:04d}'
    return f'{tag}_c{cam}s1_{frame_of(index):06d}_00.jpg'


def plan_identity(
        seed: int, pid: int, index: int, num_cameras: int,
        images_per_id: Union[int, Sequence[int]]) -> List[Tuple[int, int]]:
    """Choose how many images an identity has and in which cameras.

    The identity is seen by 2 to ``num_cameras`` cameras, at least two
    images each; its "home" camera is ``index % num_cameras + 1`` so that
    every camera appears in every split once there are as many ids as
    cameras.

    Args:
        seed (int): The dataset seed.
        pid (int): The person id.
        index (int): 0-based index of the identity within its split.
        num_cameras (int): Number of cameras.
        images_per_id (int | Sequence[int]): Exact count, or an inclusive
            ``(min, max)`` range.

    Returns:
        list[tuple[int, int]]: ``(image index, 1-based camera)`` pairs,
        sorted by image index.

    Examples:
        >>> plan = plan_identity(0, 1, 0, 3, 4)
        >>> len(plan), sorted({c for _, c in plan}).__len__() >= 2
        (4, True)
    """
    rng = np.random.default_rng([int(seed), _PLAN, int(pid)])
    if isinstance(images_per_id, int):
        n = images_per_id
    else:
        n = int(rng.integers(images_per_id[0], images_per_id[1] + 1))
    max_cams = max(2, min(num_cameras, n // 2))
    n_cams = int(rng.integers(2, max_cams + 1))
    home = index % num_cameras + 1
    others = [c for c in range(1, num_cameras + 1) if c != home]
    cams = [home] + [
        int(c) for c in rng.choice(others, n_cams - 1, replace=False)
    ]
    counts = {c: 2 for c in cams}
    for c in rng.choice(cams, n - 2 * n_cams):
        counts[int(c)] += 1
    seq = [c for c in cams for _ in range(counts[c])]
    order = rng.permutation(len(seq))
    return [(i, seq[j]) for i, j in enumerate(order)]


def render_demo_image(identity: Identity,
                      camera: Camera,
                      rng: np.random.Generator,
                      img_size: Tuple[int, int] = (128, 64),
                      junk: bool = False) -> Tuple[np.ndarray, np.ndarray]:
    """Render one image of a person seen by a camera.

    Args:
        identity (Identity): The person.
        camera (Camera): The camera (see :func:`make_camera`).
        rng (np.random.Generator): The image's random generator.
        img_size (tuple[int, int]): (height, width).
        junk (bool): Render a bad detection (a zoomed-in, cut body).

    Returns:
        tuple[np.ndarray, np.ndarray]: The BGR uint8 image and its (17, 3)
        keypoints (x, y, score).

    Examples:
        >>> cam = make_camera(0, 1, (64, 32))
        >>> idt = sample_identity(identity_rng(0, 1))
        >>> img, kpts = render_demo_image(idt, cam, np.random.default_rng(0),
        ...                               (64, 32))
        >>> img.shape, kpts.shape
        ((64, 32, 3), (17, 3))
    """
    h, w = img_size
    img = background(camera, rng, img_size)
    carry = identity.bag_side if identity.bag == 'handbag' else 0
    pose, _ = sample_pose(rng, camera.view_probs, identity.gait, carry)
    height = camera.person_scale * identity.height * rng.uniform(0.94, 1.06)
    height *= h
    if junk:
        height *= rng.uniform(1.6, 2.6)
        oy = -rng.uniform(0.0, 0.7) * height
    else:
        oy = (h - height) * rng.uniform(0.3, 0.7)
    ox = w * (0.5 + rng.uniform(-0.08, 0.08))
    occluder = None
    if rng.random() < 0.06:
        color = tuple(int(c) for c in rng.integers(20, 235, 3))
        if rng.random() < 0.5:  # a pole in front
            x = rng.uniform(0, w)
            bw = rng.uniform(0.06, 0.14) * w
            poly = np.array([[x, -1], [x + bw, -1], [x + bw, h], [x, h]])
        else:  # a railing or a bench across the legs
            y = rng.uniform(0.62, 0.85) * h
            bh = rng.uniform(0.04, 0.08) * h
            poly = np.array([[-1, y], [w, y], [w, y + bh], [-1, y + bh]])
        occluder = (poly, color)
    img, kpts, _ = render_person(img, identity, pose, height, (ox, oy),
                                 occluder)
    return apply_camera(img, camera, rng), kpts


def _normalise_params(num_train_ids, num_test_ids, num_cameras, images_per_id,
                      img_size, seed, num_distractors, num_junk) -> dict:
    """Validate the generator's parameters and make them JSON-comparable."""
    if isinstance(images_per_id, (list, tuple)):
        if len(images_per_id) != 2:
            raise ValueError('images_per_id must be an int or a (min, max) '
                             f'pair, got {images_per_id!r}')
        ipi = [int(images_per_id[0]), int(images_per_id[1])]
        if ipi[0] == ipi[1]:
            ipi = ipi[0]
    else:
        ipi = int(images_per_id)
    lo = ipi if isinstance(ipi, int) else ipi[0]
    hi = ipi if isinstance(ipi, int) else ipi[1]
    if lo < 4 or hi < lo:
        raise ValueError('images_per_id must be >= 4 (two cameras, two '
                         f'images each) with min <= max, got {ipi!r}')
    if not 2 <= int(num_cameras) <= 99:
        raise ValueError(f'num_cameras must be in [2, 99], got {num_cameras}')
    if int(num_train_ids) < 1 or int(num_test_ids) < 1:
        raise ValueError('num_train_ids and num_test_ids must be >= 1')
    if 2 * max(int(num_train_ids), int(num_test_ids)) > 9999:
        raise ValueError('at most 4999 ids per split (4-digit pids)')
    if int(num_distractors) < 0 or int(num_junk) < 0:
        raise ValueError('num_distractors and num_junk must be >= 0')
    size = [int(img_size[0]), int(img_size[1])]
    if min(size) < 16:
        raise ValueError(f'img_size (h, w) must be >= 16, got {img_size!r}')
    return dict(
        num_train_ids=int(num_train_ids),
        num_test_ids=int(num_test_ids),
        num_cameras=int(num_cameras),
        images_per_id=ipi,
        img_size=size,
        seed=int(seed),
        num_distractors=int(num_distractors),
        num_junk=int(num_junk))


def read_demo_meta(root: str) -> Union[dict, None]:
    """Read ``meta.json`` of a demo dataset, or None if there is none.

    Args:
        root (str): The dataset root.

    Returns:
        dict | None: ``generator``, ``version``, ``params``, ``summary``.
    """
    path = osp.join(root, META_FILE)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        meta = json.load(f)
    if meta.get('generator') != GENERATOR:
        return None
    return meta


def _same(meta: dict, params: dict) -> bool:
    """Whether a dataset's meta matches the wanted parameters/version."""
    return meta.get('version') == VERSION and meta.get('params') == params


def generate_demo_dataset(root: str,
                          num_train_ids: int = 100,
                          num_test_ids: int = 100,
                          num_cameras: int = 6,
                          images_per_id: Union[int, Sequence[int]] = (12, 16),
                          img_size: Sequence[int] = (128, 64),
                          seed: int = 0,
                          num_distractors: int = 20,
                          num_junk: int = 10,
                          overwrite: bool = False,
                          num_workers: Optional[int] = None) -> dict:
    """Generate the procedural demo dataset (docs/en/dataset_preparation.md).

    The data are written into a temporary folder next to ``root`` and moved
    into place with one ``os.rename``, so concurrent callers (e.g. DDP
    ranks) never see a partial dataset; a caller that loses the race uses
    the winner's copy. If ``root`` already holds a demo dataset with the
    same parameters and version, nothing is regenerated; one made with the
    same parameters by another generator version is regenerated (bump
    :data:`VERSION` whenever the rendering changes).

    Args:
        root (str): Output folder.
        num_train_ids (int): Training identities (pids 1, 3, 5, ...).
            Defaults to 100.
        num_test_ids (int): Test identities (pids 2, 4, 6, ...). Defaults
            to 100.
        num_cameras (int): Cameras (``c1`` ... ``cN``). Defaults to 6.
        images_per_id (int | Sequence[int]): Images per identity, exact or
            an inclusive ``(min, max)`` range. Defaults to (12, 16).
        img_size (Sequence[int]): (height, width). Defaults to (128, 64).
        seed (int): The seed. Defaults to 0.
        num_distractors (int): Gallery images of other people (pid 0).
            Defaults to 20.
        num_junk (int): Gallery bad detections (pid -1). Defaults to 10.
        overwrite (bool): Replace an existing demo dataset made with other
            parameters. Defaults to False.
        num_workers (int, optional): Rendering processes (forked; the
            output does not depend on it). Defaults to None: one per core
            (up to 8) for datasets of 400 images or more, else 1.

    Returns:
        dict: A summary: the parameters, ``num_train_images``,
        ``num_query``, ``num_gallery`` (incl. distractors and junk),
        ``cameras`` (per split), ``root``, ``version``, ``generated``
        (False if this call did not write the data at ``root``, e.g. they
        already existed) and ``seconds``.

    Raises:
        DemoDatasetExistsError: If ``root`` holds a demo dataset with other
            parameters (and not ``overwrite``) or a non-empty folder that
            is not a demo dataset.

    Examples:
        >>> import tempfile, os.path as osp
        >>> root = osp.join(tempfile.mkdtemp(), 'demo')
        >>> s = generate_demo_dataset(root, num_train_ids=2, num_test_ids=2,
        ...                           num_cameras=2, images_per_id=4,
        ...                           img_size=(32, 16), num_distractors=1,
        ...                           num_junk=1)
        >>> s['num_train_images'], s['num_query'], s['num_gallery']
        (8, 4, 6)
        >>> generate_demo_dataset(root, num_train_ids=2, num_test_ids=2,
        ...     num_cameras=2, images_per_id=4, img_size=(32, 16),
        ...     num_distractors=1, num_junk=1)['generated']
        False
    """
    params = _normalise_params(num_train_ids, num_test_ids, num_cameras,
                               images_per_id, img_size, seed, num_distractors,
                               num_junk)
    root = osp.abspath(root)
    t0 = time.perf_counter()
    meta = read_demo_meta(root)
    if meta is not None:
        if _same(meta, params):
            return _result(meta, root, False, t0)
        if meta.get('params') == params:
            # Derived data from another generator version: remake it.
            print_log(
                f'{root} holds a demo dataset of generator version '
                f'{meta.get("version")}; regenerating it with version '
                f'{VERSION}',
                logger='current',
                level=logging.WARNING)
        elif not overwrite:
            raise DemoDatasetExistsError(
                f'{root} holds a demo dataset generated with other '
                f'parameters ({meta.get("params")}) than requested '
                f'({params}). Pass the same parameters, overwrite=True '
                '(--overwrite), or another root.')
    elif osp.isdir(root) and os.listdir(root):
        raise DemoDatasetExistsError(
            f'{root} exists and is not a demo dataset (no {META_FILE} from '
            f'{GENERATOR!r}); refusing to write into it or delete it')
    elif osp.exists(root) and not osp.isdir(root):
        raise DemoDatasetExistsError(f'{root} exists and is not a folder')

    parent = osp.dirname(root)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f'.{osp.basename(root)}.tmp-', dir=parent)
    generated = True
    try:
        meta = _write_dataset(tmp, params, num_workers)
        current = read_demo_meta(root)
        if current is not None and _same(current, params):
            # Another process finished the same dataset meanwhile.
            meta, generated = current, False
        elif current is not None:
            # Replace a stale or (with overwrite) different demo dataset.
            old = tmp + '.old'
            os.rename(root, old)
            os.rename(tmp, root)
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                # Atomic; fails if another process put a dataset there.
                os.rename(tmp, root)
            except OSError:
                winner = read_demo_meta(root)
                if winner is None or not _same(winner, params):
                    raise
                meta, generated = winner, False
    finally:
        if osp.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return _result(meta, root, generated, t0)


def _result(meta: dict, root: str, generated: bool, t0: float) -> dict:
    """The summary returned by :func:`generate_demo_dataset`."""
    out = dict(meta['params'])
    out.update(meta['summary'])
    out.update(
        root=root,
        version=meta['version'],
        generated=generated,
        seconds=round(time.perf_counter() - t0, 3))
    return out


# The state of a pool worker process (see _init_worker).
_WORKER: dict = {}


def _worker_state(out: str, params: dict) -> dict:
    """What rendering needs: output folder, parameters and the cameras."""
    size = tuple(params['img_size'])
    cams = {
        c: make_camera(params['seed'], c, size)
        for c in range(1, params['num_cameras'] + 1)
    }
    return dict(out=out, params=params, cams=cams)


def _init_worker(out: str, params: dict) -> None:
    """Build the cameras once per pool worker."""
    _WORKER.update(_worker_state(out, params))


def _render_job(job: Tuple[str, int],
                state: Optional[dict] = None) -> List[tuple]:
    """Render and write the images of one identity, distractor or junk.

    Args:
        job (tuple[str, int]): ``('train' | 'test', k)`` for the k-th
            identity of a split, ``('distractor' | 'junk', j)``.
        state (dict, optional): From :func:`_worker_state`; defaults to
            the pool worker's.

    Returns:
        list[tuple]: ``(split, relative path, camera, keypoints or None)``
        per written image, in a fixed order.
    """
    state = _WORKER if state is None else state
    out, params, cams = state['out'], state['params'], state['cams']
    seed, size = params['seed'], tuple(params['img_size'])
    kind, k = job
    written = []

    def write(split, name, img, kpts, cam):
        rel = f'{SPLIT_DIRS[split]}/{name}'
        path = osp.join(out, rel)
        opts = [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
        if not cv2.imwrite(path, img, opts):
            raise OSError(f'could not write {path}')
        written.append((split, rel, cam, kpts))

    if kind in ('train', 'test'):
        test = kind == 'test'
        pid = test_pid(k) if test else train_pid(k)
        identity = sample_identity(identity_rng(seed, pid))
        plan = plan_identity(seed, pid, k - 1, params['num_cameras'],
                             params['images_per_id'])
        query_cams = set()
        for idx, cam in plan:
            rng = np.random.default_rng([seed, _IMAGE, pid, idx])
            img, kpts = render_demo_image(identity, cams[cam], rng, size)
            if not test:
                split = 'train'
            elif cam not in query_cams:  # the first image per camera
                query_cams.add(cam)
                split = 'query'
            else:
                split = 'gallery'
            write(split, market_name(pid, cam, idx), img, kpts, cam)
    else:
        junk = kind == 'junk'
        rng = np.random.default_rng([seed, _JUNK if junk else _DISTRACTOR, k])
        identity = sample_identity(rng)
        cam = int(rng.integers(1, params['num_cameras'] + 1))
        img, kpts = render_demo_image(identity, cams[cam], rng, size, junk)
        # Junk is dropped at load, so it has no keypoint cache entry.
        write('gallery', market_name(-1 if junk else 0, cam, k), img,
              None if junk else kpts, cam)
    return written


def _num_workers(num_workers: Optional[int], num_images: int) -> int:
    """How many processes to render with (1 = in this process)."""
    if num_workers is None:
        num_workers = min(8, os.cpu_count() or 1)
        if num_images < 400:  # not worth forking
            num_workers = 1
    if num_workers > 1 and ('fork' not in mp.get_all_start_methods()
                            or mp.current_process().daemon):
        num_workers = 1
    return max(1, int(num_workers))


def _write_dataset(out: str,
                   params: dict,
                   num_workers: Optional[int] = None) -> dict:
    """Render every image, the keypoint cache and meta.json into ``out``."""
    for d in SPLIT_DIRS.values():
        os.makedirs(osp.join(out, d), exist_ok=True)
    jobs = [('train', k) for k in range(1, params['num_train_ids'] + 1)]
    jobs += [('test', k) for k in range(1, params['num_test_ids'] + 1)]
    jobs += [('distractor', j) for j in range(params['num_distractors'])]
    jobs += [('junk', j) for j in range(params['num_junk'])]
    ipi = params['images_per_id']
    mean_ipi = ipi if isinstance(ipi, int) else sum(ipi) / 2
    workers = _num_workers(num_workers, int(len(jobs) * mean_ipi))
    if workers > 1:
        # Every image has its own random generator, so the output does not
        # depend on the number of workers; results come back in job order.
        with mp.get_context('fork').Pool(workers, _init_worker,
                                         (out, params)) as pool:
            results = pool.map(_render_job, jobs, chunksize=4)
    else:
        state = _worker_state(out, params)
        results = [_render_job(job, state) for job in jobs]

    keypoints: Dict[str, np.ndarray] = {}
    counts = dict(train=0, query=0, gallery=0)
    cams_seen = dict(train=set(), query=set(), gallery=set())
    for written in results:
        for split, rel, cam, kpts in written:
            if kpts is not None:
                keypoints[rel] = kpts
            counts[split] += 1
            cams_seen[split].add(cam)
    save_keypoint_cache(
        osp.join(out, KEYPOINT_FILE),
        keypoints,
        'coco17',
        estimator=dict(
            type='ground_truth', generator=GENERATOR, seed=params['seed']))
    summary = dict(
        num_train_images=counts['train'],
        num_query=counts['query'],
        num_gallery=counts['gallery'],
        num_images=sum(counts.values()),
        cameras={k: sorted(cams_seen[k])
                 for k in cams_seen},
        keypoint_file=KEYPOINT_FILE)
    meta = dict(
        generator=GENERATOR, version=VERSION, params=params, summary=summary)
    with open(osp.join(out, META_FILE), 'w') as f:
        json.dump(meta, f, indent=2, sort_keys=True)
        f.write('\n')
    return meta
