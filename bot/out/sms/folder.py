"""SMS written to a folder, one `.txt` file each (no MEDVIRK_SMS_URL: a laptop,
a test, `medvirk try`): a line `To: +47…`, a blank line, the text, UTF-8."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

from bot.out.sms.base import OnInbound, OnReceipt, Sms, SmsFailed, Submitted, check_message
from bot.out.sms.encoding import segments


class FolderGateway:
    delivers = False

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return f"the folder {self.folder.resolve()} (no MEDVIRK_SMS_URL)"

    async def start(self, on_receipt: OnReceipt, on_inbound: OnInbound) -> None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, sms: Sms) -> Submitted:
        check_message(sms)
        message_id = uuid.uuid4().hex
        data = f"To: {sms.to}\n\n{sms.text}\n".encode()
        try:
            await asyncio.to_thread(_write_atomically, self.folder, f"{message_id}.txt", data)
        except OSError as error:
            raise SmsFailed(f"sms folder: {type(error).__name__}", permanent=False) from None
        return Submitted(message_id=message_id, segments=segments(sms.text).count)


def read_sms_file(path: Path) -> tuple[str, str]:
    """A written SMS's (to, text), for a test or a look at the folder."""
    head, _, text = path.read_text(encoding="utf-8").partition("\n\n")
    if not head.startswith("To: "):
        raise ValueError(f"{path.name} is not an SMS file")
    return head.removeprefix("To: "), text.removesuffix("\n")


def _write_atomically(folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / name)  # a reader never sees half a message
