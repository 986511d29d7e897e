"""The annual report's PDFs behind `/r/<token>`, drawn once per year, language
and day: charts take a second or more of CPU, and a link shared in the channel
is opened by many. Concurrent downloads of one PDF share its drawing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

# Year, language, day, and the desks it counts.
Key = tuple[int, str, date, frozenset[int]]


class ReportPdfs:
    def __init__(self) -> None:
        self._pdfs: dict[Key, asyncio.Future[bytes]] = {}
        self.renders = 0

    async def get(self, key: Key, render: Callable[[], Awaitable[bytes]]) -> bytes:
        made = self._pdfs.get(key)
        if made is None or (made.done() and (made.cancelled() or made.exception() is not None)):
            # A new day: yesterday's PDFs (they name their date) are not served again.
            for old in [k for k in self._pdfs if k[2] != key[2]]:
                del self._pdfs[old]
            self.renders += 1
            made = self._pdfs[key] = asyncio.ensure_future(render())
        return await asyncio.shield(made)
