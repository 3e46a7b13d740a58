"""Real servers on loopback for the tests: redis-server, and `flask worker` as a separate process."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=15.0, interval=0.05):
    """Poll until condition() is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {condition}")


@contextmanager
def redis_server(tmp_path: Path):
    """A throwaway redis-server on a free loopback port, without persistence; yields its URL."""
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (scripts/test.sh installs it)")
        pytest.skip("redis-server is not installed (scripts/test.sh installs it)")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:

        def accepting():
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        wait_for(accepting, timeout=10)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


class Worker:
    """`flask worker` for the test's app, in its own process: the app's settings reach it through
    a config.py in the test's instance folder, exactly as a deployment's would."""

    def __init__(self, app, **settings):
        self.instance = Path(app.instance_path)
        config = {
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "JOBS_IMMEDIATE": False,
            **{
                k: app.config[k] for k in ("JOBS_REDIS_URL", "JOBS_SQLITE_PATH", "MAIL_SERVER", "MAIL_PORT", "SITE_URL")
            },
            **settings,
        }
        (self.instance / "config.py").write_text("".join(f"{key} = {value!r}\n" for key, value in config.items()))
        self.process: subprocess.Popen | None = None

    def start(self, *args: str) -> "Worker":
        env = {**os.environ, "XTQ_INSTANCE_PATH": str(self.instance), "FLASK_APP": "app.py"}
        self.log = open(self.instance / "worker.log", "ab")  # noqa: SIM115  (closed in stop(), with the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", "--no-periodic", *args],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish or clean up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.log.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()

    def output(self) -> str:
        return (self.instance / "worker.log").read_text(errors="replace")


@contextmanager
def live_app(app, port: int):
    """The test's app served over real HTTP on a loopback port (threaded), for peers to reach."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(10)
