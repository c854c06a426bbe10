"""Draw the app's icons (a clock face with a heart: one hour given to a neighbour).

Run once after changing the drawing; the PNGs are committed under assets/icons/:

    python scripts/make_icons.py

- icon-192.png, icon-512.png: "any" purpose, the logo on a rounded square;
- icon-maskable-512.png: full-bleed background, the logo inside the central
  circle of 80 % diameter that every platform mask keeps (the "safe zone").
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "assets" / "icons"
BRAND = (29, 78, 216)  # #1d4ed8, the default commune colour (domain.models.Commune)
WHITE = (255, 255, 255)
SUPERSAMPLE = 4  # draw large, then downscale: smooth edges without an SVG renderer


def _logo(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    """A white clock face of radius r centred on (cx, cy), hands at one o'clock, a heart."""
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    ring = r * 0.86
    draw.ellipse((cx - ring, cy - ring, cx + ring, cy + ring), fill=BRAND)
    face = r * 0.74
    draw.ellipse((cx - face, cy - face, cx + face, cy + face), fill=WHITE)
    for hour in range(12):  # hour ticks
        angle = math.radians(hour * 30)
        outer, inner = face * 0.92, face * (0.74 if hour % 3 == 0 else 0.82)
        draw.line((cx + inner * math.sin(angle), cy - inner * math.cos(angle),
                   cx + outer * math.sin(angle), cy - outer * math.cos(angle)),
                  fill=BRAND, width=max(2, int(r * 0.05)))
    width = max(3, int(r * 0.09))
    draw.line((cx, cy, cx, cy - face * 0.62), fill=BRAND, width=width)  # minute hand at 12
    angle = math.radians(30)  # hour hand at one: the hour given
    draw.line((cx, cy, cx + face * 0.42 * math.sin(angle), cy - face * 0.42 * math.cos(angle)),
              fill=BRAND, width=width)
    _heart(draw, cx, cy + face * 0.4, face * 0.34)


def _heart(draw: ImageDraw.ImageDraw, cx: float, cy: float, size: float) -> None:
    """A heart centred on (cx, cy), two circles over a triangle, in the brand colour."""
    lobe = size * 0.3
    for dx in (-lobe, lobe):
        draw.ellipse((cx + dx - lobe, cy - lobe * 1.6, cx + dx + lobe, cy - lobe * 1.6 + 2 * lobe),
                     fill=BRAND)
    draw.polygon(((cx - 2 * lobe * 0.98, cy - lobe * 0.9), (cx + 2 * lobe * 0.98, cy - lobe * 0.9),
                  (cx, cy + lobe * 1.5)), fill=BRAND)


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    if maskable:
        image = Image.new("RGBA", (big, big), BRAND + (255,))
        logo_radius = big * 0.40 * 0.82  # well inside the 40 % safe-zone radius
    else:
        image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        ImageDraw.Draw(image).rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.2,
                                                fill=BRAND + (255,))
        logo_radius = big * 0.40
    _logo(ImageDraw.Draw(image), big / 2, big / 2, logo_radius)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)):
        draw_icon(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
