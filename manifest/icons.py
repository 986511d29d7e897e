"""The two app icons, drawn with code so they can be redrawn in any size.

`python -m manifest.icons` rewrites color.png and outline.png beside this file.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
COLOR_SIZE = 192
OUTLINE_SIZE = 32
ACCENT = "#0B6E69"


def _glyph(draw: ImageDraw.ImageDraw, size: int, fill: str | tuple[int, ...], width: int) -> None:
    """Two people side by side (heads and shoulders): involvement, drawn in strokes."""
    s = size / 32
    for cx in (11, 21):
        draw.ellipse([(cx - 3.5) * s, 7 * s, (cx + 3.5) * s, 14 * s], outline=fill, width=width)
        draw.arc([(cx - 7) * s, 17 * s, (cx + 7) * s, 31 * s], 180, 360, fill=fill, width=width)
    draw.line([4 * s, 24 * s, 28 * s, 24 * s], fill=fill, width=width)


def draw_color() -> Image.Image:
    image = Image.new("RGBA", (COLOR_SIZE, COLOR_SIZE), ACCENT)
    _glyph(ImageDraw.Draw(image), COLOR_SIZE, "white", width=10)
    return image.convert("RGB")


def draw_outline() -> Image.Image:
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (0, 0, 0, 0))
    _glyph(ImageDraw.Draw(image), OUTLINE_SIZE, (255, 255, 255, 255), width=2)
    return image


def write_icons(directory: Path = HERE) -> tuple[Path, Path]:
    color, outline = directory / "color.png", directory / "outline.png"
    draw_color().save(color, optimize=True)
    draw_outline().save(outline, optimize=True)
    return color, outline


if __name__ == "__main__":
    for path in write_icons():
        print(path)
