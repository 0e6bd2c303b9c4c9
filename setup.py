# Copyright (c) mmreid contributors. All rights reserved.
"""Install mmreid: ``pip install -e .`` (see the README for the stack)."""
import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup


def readme() -> str:
    with open('README.md', encoding='utf-8') as f:
        return f.read()


def get_version() -> str:
    scope = {}
    with open('mmreid/version.py') as f:
        exec(compile(f.read(), 'mmreid/version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(fname: str) -> list:
    """Read a requirements file, following ``-r`` includes."""
    here = osp.dirname(osp.abspath(fname))
    out = []
    with open(fname) as f:
        for line in f:
            line = line.split('#')[0].strip()
            if not line:
                continue
            if line.startswith('-r '):
                out += parse_requirements(osp.join(here, line[3:].strip()))
            else:
                out.append(line)
    return out


def add_mim_extension() -> None:
    """Expose ``configs`` and ``tools`` as ``mmreid/.mim`` (for ``mim`` and
    ``mmreid::`` config bases): symlinks in develop mode, copies otherwise.
    """
    if 'develop' in sys.argv or any('editable' in a for a in sys.argv):
        mode = 'symlink'
    elif 'sdist' in sys.argv or 'bdist_wheel' in sys.argv:
        mode = 'copy'
    else:
        return
    repo = osp.dirname(osp.abspath(__file__))
    mim = osp.join(repo, 'mmreid', '.mim')
    os.makedirs(mim, exist_ok=True)
    for name in ('configs', 'tools'):
        src, dst = osp.join(repo, name), osp.join(mim, name)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim), dst)
        else:
            shutil.copytree(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmreid',
        version=get_version(),
        description='OpenMMLab-style person re-identification toolbox',
        long_description=readme(),
        long_description_content_type='text/markdown',
        keywords='person re-identification, re-ID, GAN, pose',
        packages=find_packages(exclude=('configs', 'tools', 'tests')),
        include_package_data=True,
        python_requires='>=3.8',
        classifiers=[
            'Development Status :: 3 - Alpha',
            'License :: OSI Approved :: Apache Software License',
            'Operating System :: OS Independent',
            'Programming Language :: Python :: 3',
        ],
        license='Apache License 2.0',
        install_requires=parse_requirements('requirements/runtime.txt'),
        extras_require={
            'all': parse_requirements('requirements.txt'),
            'tests': parse_requirements('requirements/tests.txt'),
            'mim': parse_requirements('requirements/mminstall.txt'),
            'optional': parse_requirements('requirements/optional.txt'),
        },
        zip_safe=False)
