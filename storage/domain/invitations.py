"""An invitation's lifecycle, and the lifecycle of each of its two documents
(the agreement and the confidentiality declaration, signed after the match).

An invitation is answered once (`accepted` or `declined`), runs out
(`expired`), or is withdrawn by medvirk while nobody has answered (the request
was matched or closed, or the participant left the pool). An accepted
participant who leaves the pool before the work is done has `left` it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from storage.domain.lifecycle import Lifecycle


class InvitationStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    # The request was matched or closed, or the participant left before answering.
    WITHDRAWN = "withdrawn"
    # Accepted, then the participant left the pool before the work was done.
    LEFT = "left"


IS = InvitationStatus
INVITATIONS: Lifecycle[InvitationStatus] = Lifecycle(
    "invitation",
    {
        IS.INVITED: frozenset({IS.ACCEPTED, IS.DECLINED, IS.EXPIRED, IS.WITHDRAWN}),
        IS.ACCEPTED: frozenset({IS.LEFT}),
        IS.DECLINED: frozenset(),
        IS.EXPIRED: frozenset(),
        IS.WITHDRAWN: frozenset(),
        IS.LEFT: frozenset(),
    },
    # An answer to an invitation no longer open says what became of it.
    refusal="participant.error.invitation_{current}",
)


class DocumentStatus(StrEnum):
    """One document of an accepted invitation; the row keeps only when it was
    signed (`agreement_signed_at`, `confidentiality_signed_at`)."""

    UNSIGNED = "unsigned"
    SIGNED = "signed"


DOCUMENTS: Lifecycle[DocumentStatus] = Lifecycle(
    "document",
    {
        DocumentStatus.UNSIGNED: frozenset({DocumentStatus.SIGNED}),
        DocumentStatus.SIGNED: frozenset(),
    },
)


def document(signed_at: datetime | None) -> DocumentStatus:
    """A document's status from the moment it was signed (None: not yet)."""
    return DocumentStatus.UNSIGNED if signed_at is None else DocumentStatus.SIGNED
