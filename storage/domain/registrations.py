"""A registration for a gathering that takes them in medvirk (SPEC "Gatherings
people register for"): a seat, a place on the waiting list, a seat offered for
a while, or given up.

- `registered`: has a seat.
- `waitlisted`: waits in arrival order for a seat to come free.
- `offered`: a seat came free and is held for them until the offer expires;
  yes makes them `registered`, no or silence `declined` (the seat passes on).
- `cancelled`: gave up their seat or their place (they may register again,
  at the end of the line).
- `declined`: let an offer go (the same).
"""

from __future__ import annotations

from enum import StrEnum

from storage.domain.lifecycle import Lifecycle


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    CANCELLED = "cancelled"
    DECLINED = "declined"


R = RegistrationStatus
REGISTRATIONS: Lifecycle[RegistrationStatus] = Lifecycle(
    "registration",
    {
        R.REGISTERED: frozenset({R.CANCELLED}),
        R.WAITLISTED: frozenset({R.OFFERED, R.CANCELLED}),
        R.OFFERED: frozenset({R.REGISTERED, R.DECLINED, R.CANCELLED}),
        R.CANCELLED: frozenset(),
        R.DECLINED: frozenset(),
    },
    refusal="gathering.error.registration_{current}",
)
# Holding a seat, or waiting for one: not again.
ACTIVE = frozenset({R.REGISTERED, R.WAITLISTED, R.OFFERED})
# The questions a gathering may ask its registrants, and the answers to one
# that is a choice.
QUESTIONS = ("diet", "access", "travel", "attend_mode")
ATTEND_MODES = ("in_person", "digital")
ANSWER_MAX = 200
DEFAULT_OFFER_HOURS = 48
