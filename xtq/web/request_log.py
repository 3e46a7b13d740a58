"""One log line per request: method, path, status and duration."""

import logging
import re
import time

from flask import Flask, Response, g, request

logger = logging.getLogger("xtq.request")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _printable(path: str) -> str:
    """A decoded path may hold a newline (%0A): written escaped, it cannot forge a log line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path)


def init_app(app: Flask) -> None:
    if not logger.handlers and not app.testing:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            _printable(request.full_path.rstrip("?")),
            response.status_code,
            duration_ms,
        )
        return response
