"""The tiers, fastest first. A test's tier follows from what it uses: the
`volume`, `processes`, `timed` and `e2e` marks are written on the tests (a
generated year of the domain, processes, time measured, a browser); a test that starts the app is a scenario,
one that opens a database a database test, any other a unit test.
tests/conftest.py marks every test with its tier."""

from __future__ import annotations

import pytest

TIERS = ("unit", "database", "scenarios", "volume", "processes", "timed", "e2e")
# What the README's test command runs; .ci/run runs the rest too.
FAST = ("unit", "database", "scenarios")

_APP = {"bot", "start_bot"}
_DATABASE = {"db", "database_url", "postgres_database", "backend"}


def tier_of(item: pytest.Item) -> str:
    for tier in ("e2e", "timed", "processes", "volume"):
        if item.get_closest_marker(tier) is not None:
            return tier
    used = set(getattr(item, "fixturenames", ()))
    if used & _APP:
        return "scenarios"
    if used & _DATABASE:
        return "database"
    return "unit"
