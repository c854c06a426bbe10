"""``-m "not e2e"`` leaves every browser test out (the marker is put on each of them)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_not_e2e_deselects_every_browser_test() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/e2e", "-m", "not e2e", "--collect-only", "-q",
         "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    last = result.stdout.strip().splitlines()[-1]
    # Nothing is left, and something was there to leave out.
    found = re.match(r"no tests collected \((\d+) deselected\)", last)
    assert found and int(found.group(1)) > 0, result.stdout[-2000:]
