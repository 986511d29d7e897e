"""SMS rules that need no database: the quiet hours, and what a reply says.

A reply is read leniently (any case, spaces around, `JA 4821`, `ja4821`,
`YES 4821`), and an identity number anywhere in it wins over everything else:
the reply is not acted on and nothing of it is kept.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from storage.domain.identity import contains_identity_number


@dataclass(frozen=True)
class Quiet:
    """Local hours no SMS leaves in: from `start` to `end` (over midnight
    when `start` > `end`)."""

    start: time
    end: time

    def holds(self, moment: datetime, zone: ZoneInfo) -> bool:
        now = moment.astimezone(zone).time()
        if self.start <= self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def ends_after(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """The first moment at or after `moment` outside the quiet hours."""
        if not self.holds(moment, zone):
            return moment
        local = moment.astimezone(zone)
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)
        # A wall-clock time on that day (ZoneInfo resolves a DST gap forward).
        return datetime.combine(day, self.end, tzinfo=zone)


def reply_code() -> str:
    """An invitation's four digits for a reply by SMS (`JA 4821`)."""
    return f"{secrets.randbelow(10_000):04d}"


def parse_quiet(text: str) -> Quiet | None:
    """`20:00-08:00` (default), `off` for none."""
    value = text.strip().lower()
    if value in ("off", "none", ""):
        return None
    found = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", value)
    if found is None:
        raise ValueError("MEDVIRK_SMS_QUIET: hours like 20:00-08:00, or off")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        raise ValueError("MEDVIRK_SMS_QUIET: hours like 20:00-08:00, or off")
    return Quiet(time(h1, m1), time(h2, m2))


def day_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """Local midnight of `moment`'s day (a number's day of SMS starts then)."""
    return datetime.combine(moment.astimezone(zone).date(), time(0, 0), tzinfo=zone)


def month_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """Local midnight of the first of `moment`'s month (a desk's budget's month)."""
    local = moment.astimezone(zone).date()
    return datetime.combine(local.replace(day=1), time(0, 0), tzinfo=zone)


def next_day_start(moment: datetime, zone: ZoneInfo, quiet: Quiet | None) -> datetime:
    """When a number that had its day's SMS may get the next: the next local
    day, after its quiet hours."""
    tomorrow = (moment.astimezone(zone) + timedelta(days=1)).date()
    start = datetime.combine(tomorrow, time(0, 0), tzinfo=zone)
    return quiet.ends_after(start, zone) if quiet else start


class SmsState(StrEnum):
    """An SMS's way: its place held before it goes (`reserved`), handed to
    the gateway (`submitted`), then as its delivery receipt says."""

    RESERVED = "reserved"
    SUBMITTED = "submitted"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNKNOWN = "unknown"


class Said(StrEnum):
    YES = "yes"
    NO = "no"
    STOP = "stop"
    HELP = "help"
    IDENTITY = "identity"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reply:
    said: Said
    # The four-digit code of a yes or no.
    code: str | None = None


_ANSWER = re.compile(r"^(JA|NEI|YES|NO)\s*(\d{4})$")
_WORDS = {"STOPP": Said.STOP, "STOP": Said.STOP, "HJELP": Said.HELP, "HELP": Said.HELP}
REPLY_MAX = 2000


def read_reply(text: str) -> Reply:
    """What an SMS reply says."""
    if contains_identity_number(text[:REPLY_MAX]):
        return Reply(Said.IDENTITY)
    said = " ".join(text.split()).upper().strip(" .!")
    if said in _WORDS:
        return Reply(_WORDS[said])
    found = _ANSWER.match(said)
    if found:
        return Reply(Said.YES if found.group(1) in ("JA", "YES") else Said.NO, found.group(2))
    return Reply(Said.UNKNOWN)
