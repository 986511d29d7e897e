"""SMS out and in: to an SMSC over SMPP 3.4 (`smpp://system_id:password@host:port`),
to an operator's HTTPS API (`https://:token@host/path`), or, with no
MEDVIRK_SMS_URL, into a folder of `.txt` files. `gateway_for` picks one.

Every gateway takes an `Sms` and answers `Submitted` (the gateway's id and
the segments it took) or raises `SmsFailed`; SMPP brings delivery receipts
and replies back through the callbacks given to `start`, an HTTPS gateway
posts them to our inbound endpoint (`receipt_from_json` reads a receipt).
"""

from __future__ import annotations

from pathlib import Path

from bot.out.sms.base import (
    Inbound,
    OnInbound,
    OnReceipt,
    Receipt,
    Sms,
    SmsFailed,
    SmsGateway,
    Submitted,
    valid_sender,
)
from bot.out.sms.encoding import Segments, segments
from bot.out.sms.folder import FolderGateway, read_sms_file
from bot.out.sms.https import HttpsGateway, receipt_from_json
from bot.out.sms.smpp import SmppAccount, SmppGateway

__all__ = [
    "FolderGateway",
    "HttpsGateway",
    "Inbound",
    "OnInbound",
    "OnReceipt",
    "Receipt",
    "Segments",
    "SmppAccount",
    "SmppGateway",
    "Sms",
    "SmsFailed",
    "SmsGateway",
    "Submitted",
    "gateway_for",
    "read_sms_file",
    "receipt_from_json",
    "segments",
    "valid_sender",
]


def gateway_for(url: str, sms_dir: str | Path = "sms", *, ca_file: str | None = None) -> SmsGateway:
    """The gateway MEDVIRK_SMS_URL names; the folder `sms_dir` with none.
    `ca_file` is for an HTTPS gateway behind a CA of the hospital's own."""
    url = url.strip()
    if not url:
        return FolderGateway(Path(sms_dir))
    scheme = url.partition(":")[0].lower()
    if scheme == "smpp":
        return SmppGateway(SmppAccount.from_url(url))
    if scheme in ("https", "http"):
        return HttpsGateway(url, ca_file=ca_file)
    raise ValueError(
        "MEDVIRK_SMS_URL must be smpp://system_id:password@host:port (SMPP 3.4) "
        "or https://… (an HTTPS gateway), or empty for the folder ./sms"
    )
