"""How a text goes over the air: GSM 03.38 septets where every character is in
the default alphabet or its extension table, UCS-2 otherwise, and split into
parts with a concatenation header where it does not fit one SMS.

GSM-7: 160 septets in one SMS, 153 in each part of a long one (the header
takes the rest); a character of the extension table (€ [ ] { } ^ ~ | \\ and
form feed) takes two septets, and is never split between two parts. UCS-2:
70 UTF-16 code units, 67 a part; a character outside the Basic Multilingual
Plane (an emoji) takes two and is never split either. Æ Ø Å æ ø å are in the
default alphabet, so a Norwegian text stays GSM-7 unless it carries an emoji,
typographic quotes or a dash that is not the hyphen.

The count of `segments()` is the number of parts `encode()` makes, so what a
budget counts is what the gateway is sent.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

# The default alphabet, by code (0x1B is the escape to the extension table).
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = {"\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C,
                  "~": 0x3D, "]": 0x3E, "|": 0x40, "€": 0x65}  # fmt: skip
_ESCAPE = 0x1B
_TO_GSM7 = {c: bytes([i]) for i, c in enumerate(GSM7_BASIC) if i != _ESCAPE}
_TO_GSM7.update({c: bytes([_ESCAPE, i]) for c, i in GSM7_EXTENSION.items()})
_FROM_GSM7_EXTENSION = {i: c for c, i in GSM7_EXTENSION.items()}

DATA_CODING_GSM7 = 0x00  # SMSC default alphabet, one septet an octet
DATA_CODING_UCS2 = 0x08

# (one SMS, a part of a long one), in octets as SMPP carries them.
_GSM7_LIMITS = (160, 153)
_UCS2_LIMITS = (140, 134)  # 70 and 67 UTF-16 code units


@dataclass(frozen=True)
class Segments:
    encoding: Literal["gsm7", "ucs2"]
    count: int


@dataclass(frozen=True)
class Encoded:
    """A text ready for SMPP: its data_coding and the octets of each part
    (without the user data header a long text's parts get)."""

    encoding: Literal["gsm7", "ucs2"]
    data_coding: int
    parts: tuple[bytes, ...]


def encode(text: str) -> Encoded:
    text = unicodedata.normalize("NFC", text)  # "å" written as a + ring is still GSM-7
    units: list[bytes]
    encoding: Literal["gsm7", "ucs2"]
    try:
        units = [_TO_GSM7[c] for c in text]
        encoding, data_coding, (single, part) = "gsm7", DATA_CODING_GSM7, _GSM7_LIMITS
    except KeyError:
        units = [c.encode("utf-16-be") for c in text]
        encoding, data_coding, (single, part) = "ucs2", DATA_CODING_UCS2, _UCS2_LIMITS
    whole = b"".join(units)
    if len(whole) <= single:
        return Encoded(encoding, data_coding, (whole,))
    parts: list[bytes] = []
    current = bytearray()
    for unit in units:  # a character whole in one part
        if len(current) + len(unit) > part:
            parts.append(bytes(current))
            current = bytearray()
        current += unit
    parts.append(bytes(current))
    return Encoded(encoding, data_coding, tuple(parts))


def segments(text: str) -> Segments:
    """How many SMS this text takes, and in which alphabet."""
    encoded = encode(text)
    return Segments(encoded.encoding, len(encoded.parts))


def decode(data_coding: int, octets: bytes) -> str:
    """A message's text by its data_coding: GSM-7 (one septet an octet),
    UCS-2, or Latin-1 for the 8-bit codings."""
    if data_coding == DATA_CODING_UCS2:
        return octets.decode("utf-16-be", errors="replace")
    if data_coding == DATA_CODING_GSM7 or (data_coding & 0xF4) == 0xF0:
        return _gsm7_decode(octets)
    if data_coding == 0x01:  # IA5 (ASCII)
        return octets.decode("ascii", errors="replace")
    return octets.decode("latin-1")


def _gsm7_decode(octets: bytes) -> str:
    out: list[str] = []
    escaped = False
    for octet in octets:
        if escaped:
            out.append(_FROM_GSM7_EXTENSION.get(octet, " "))
            escaped = False
        elif octet == _ESCAPE:
            escaped = True
        else:
            out.append(GSM7_BASIC[octet & 0x7F])
    return "".join(out)
