"""A PDF's text, as a reader's copy and paste would give it (pypdfium2)."""

from __future__ import annotations

import pypdfium2


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
