"""Where the tests run: the time zone, the paths, CI or not."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
