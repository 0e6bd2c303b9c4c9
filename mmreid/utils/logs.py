# Copyright (c) mmreid contributors. All rights reserved.
"""Reading evaluation results back from MMEngine's JSON logs."""
import json
import os
import os.path as osp
from typing import Optional


def load_last_metrics(work_dir: str, key: str = 'reid/mAP') -> Optional[dict]:
    """The last logged record that holds ``key`` under a work dir.

    MMEngine writes validation metrics to ``<time>/vis_data/scalars.json``
    and test metrics to ``<time>/<time>.json``; both are JSON lines. The
    newest file (by modification time) that has a record with ``key`` wins,
    and within it the last such record.

    Args:
        work_dir (str): A ``--work-dir`` of ``tools/train.py`` or
            ``tools/test.py``.
        key (str): A metric key the record must have.

    Returns:
        dict | None: The record, or None if there is none.

    Examples:
        >>> import tempfile
        >>> d = tempfile.mkdtemp()
        >>> with open(osp.join(d, 'x.json'), 'w') as f:
        ...     _ = f.write('{"loss": 1}\\n{"reid/mAP": 50.0}\\n')
        >>> load_last_metrics(d)['reid/mAP']
        50.0
    """
    best = None
    for dirpath, _, files in os.walk(work_dir):
        for name in files:
            if not name.endswith('.json'):
                continue
            path = osp.join(dirpath, name)
            found = None
            with open(path) as f:
                for line in f:
                    line = line.strip()
                    if not line.startswith('{'):
                        continue
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    if isinstance(rec, dict) and key in rec:
                        found = rec
            if found is not None:
                mtime = osp.getmtime(path)
                if best is None or mtime >= best[0]:
                    best = (mtime, found)
    return best[1] if best else None
