"""The app icons, drawn with code (run `python -m manifest.icons` to redraw them).

color.png: 192×192, full colour. outline.png: 32×32, transparent with a white glyph.
The glyph: two people side by side under an arc, for people taking part together.
"""

from __future__ import annotations

import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLOR = HERE / "color.png"
OUTLINE = HERE / "outline.png"
BLUE = (0, 84, 147, 255)
WHITE = (255, 255, 255, 255)


def _people(draw: object, size: int, fill: tuple[int, int, int, int], width: int) -> None:
    s = size
    d = draw
    # Two heads and shoulders, and an arc joining them.
    for cx in (0.36 * s, 0.64 * s):
        r = 0.09 * s
        d.ellipse((cx - r, 0.36 * s - r, cx + r, 0.36 * s + r), fill=fill)  # type: ignore[attr-defined]
        d.pieslice(  # type: ignore[attr-defined]
            (cx - 0.17 * s, 0.50 * s, cx + 0.17 * s, 0.84 * s), 180, 360, fill=fill
        )
    d.arc((0.18 * s, 0.12 * s, 0.82 * s, 0.70 * s), 200, 340, fill=fill, width=width)  # type: ignore[attr-defined]


def draw_icons(color: Path = COLOR, outline: Path = OUTLINE) -> None:
    from PIL import Image, ImageDraw

    big = Image.new("RGBA", (192, 192), BLUE)
    _people(ImageDraw.Draw(big), 192, WHITE, 10)
    big.convert("RGB").save(color, optimize=True)
    # Draw large and scale down for clean edges; the background stays transparent.
    small = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    _people(ImageDraw.Draw(small), 256, WHITE, 14)
    small.resize((32, 32), Image.Resampling.LANCZOS).save(outline, optimize=True)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (no imaging library needed)."""
    with path.open("rb") as handle:
        head = handle.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path.name} is not a PNG file")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


if __name__ == "__main__":
    draw_icons()
