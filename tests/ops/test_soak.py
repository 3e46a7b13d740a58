"""The short form of scripts/soak.py: gunicorn with 2 workers, 16 writers and 4 readers for 10 s,
a SIGKILL in the middle, then no 5xx, no "database is locked", no lost write, integrity ok.
The long form (30 s) and its last result are in docs/quality.md."""

import json
import subprocess
import sys

from tests.helpers import sqlite_only
from xtq import ROOT


@sqlite_only
def test_soak_short_form_survives_a_crash():
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "soak.py"), "--seconds", "10"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    result = json.loads(run.stdout)
    assert run.returncode == 0 and result["ok"], run.stdout + run.stderr[-3000:]
    assert result["acknowledged_writes"] >= 5
    assert result["counts"].get("reads", 0) > 0
