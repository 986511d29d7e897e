"""Admin input for gatherings and surveys: offsets, times, groups; and when an
offset before an anchor falls. Day offsets keep the local wall-clock time across
daylight-saving changes; hour/minute/second offsets are elapsed time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.reminders.kinds import DEFAULT_DESK, GROUPS, ReminderInputError, desk_of, qualified

_OFFSET = re.compile(r"^(\d{1,6})([dhms])$")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


Offset = tuple[int, int]  # (calendar days, elapsed seconds)


def parse_offsets(text: str | None, field: str) -> list[Offset]:
    """`14d,1d,2h,90s` -> [(14, 0), (1, 0), (0, 7200), (0, 90)]: days are calendar days."""
    if text is None or not text.strip():
        return []
    offsets = set()
    for part in text.split(","):
        match = _OFFSET.match(part.strip().lower())
        if not match:
            raise ReminderInputError(f"{field}: expected offsets like 14d,1d,2h,90s, got {part!r}")
        amount, unit = int(match.group(1)), match.group(2)
        offsets.add((amount, 0) if unit == "d" else (0, amount * _UNIT_SECONDS[unit]))
    return sorted(offsets, key=lambda o: o[0] * 86400 + o[1], reverse=True)


def parse_time(text: str, zone: ZoneInfo, field: str) -> datetime:
    """ISO 8601; with an offset or Z as given, without one in `zone`; a bare date is 00:00."""
    value = text.strip()
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ReminderInputError(f"{field}: expected an ISO 8601 time, got {text!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


_DESK_CODE = re.compile(r"[a-z0-9-]{2,20}")


def parse_groups(
    text: str | None, field: str = "--groups", *, desks: bool = False
) -> list[str] | None:
    """Groups named by a comma list; with `desks`, a contact's subscriptions,
    where a group may name its desk first (`alrek:contacts`; the desk
    `default`'s are the plain names)."""
    if text is None or not text.strip():
        return None
    found: set[str] = set()
    unknown = []
    for raw in (g.strip().lower() for g in text.split(",") if g.strip()):
        code, group = desk_of(raw) if desks else (DEFAULT_DESK, raw)
        if group not in GROUPS or not _DESK_CODE.fullmatch(code) or (":" in raw and not desks):
            unknown.append(raw)
        else:
            found.add(qualified(group, code))
    if unknown:
        named = ", ".join(GROUPS) + (" (or desk:group, e.g. alrek:contacts)" if desks else "")
        raise ReminderInputError(f"{field}: unknown group(s) {', '.join(unknown)}; use {named}")
    return sorted(found)


def due_time(anchor: datetime, offset: Offset, zone: ZoneInfo) -> datetime:
    """When a reminder `offset` before `anchor` falls: days in local wall-clock time."""
    days, rest = offset
    local = anchor.astimezone(zone)
    # Aware arithmetic on a zoned datetime is wall-clock arithmetic: 09:15 stays 09:15.
    wall = (local.replace(tzinfo=None) - timedelta(days=days)).replace(tzinfo=zone)
    return wall.astimezone(UTC) - timedelta(seconds=rest)
