"""A fee claim's lifecycle (SPEC: `draft → confirmed → sent → paid`).

A draft is the requester's figures (filed again, still a draft, a new
revision); the participant confirms the revision they saw; the confirmed claim
goes to payroll by e-mail, and delivered it is `sent`. Payroll's payment is
recorded by `medvirk claims paid`, from `sent` or straight from `confirmed`:
with no payroll address configured (or its mail not delivered yet) payroll
has the PDF from `medvirk claims pdf`, and a claim that can never be `sent`
must still be paid.
"""

from __future__ import annotations

from enum import StrEnum

from storage.domain.lifecycle import Lifecycle


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    SENT = "sent"
    PAID = "paid"


C = ClaimStatus
FEE_CLAIMS: Lifecycle[ClaimStatus] = Lifecycle(
    "fee claim",
    {
        C.DRAFT: frozenset({C.CONFIRMED}),
        C.CONFIRMED: frozenset({C.SENT, C.PAID}),
        C.SENT: frozenset({C.PAID}),
        C.PAID: frozenset(),
    },
    refusal="claim.error.not_confirmed",
)
