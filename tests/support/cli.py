"""`medvirk …` as an admin runs it, in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def medvirk(database_url: str, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`settings`: more environment (e.g. MEDVIRK_MAIL_DIR)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDVIRK_TIMEZONE": "Europe/Oslo",
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "--log-level", "WARNING", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
