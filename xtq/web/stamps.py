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
    try:
        return _path(name).read_text()
    except FileNotFoundError:
        return ""
