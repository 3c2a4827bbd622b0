"""panelbot's Teams app icons, drawn in pure Python and written as PNG with zlib.

Teams wants two icons in the app package: a full-colour 192x192 icon and a 32x32
outline icon, white on a transparent background. Both show the same glyph, a panel of
three people, drawn from circles and ellipses with 4x4 supersampling for smooth edges.
The committed files under ``manifests/teams/`` are this module's output; regenerate
them with ``python -m bot.teams.icons manifests/teams`` (a test checks they match).
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

ACCENT = (0x3B, 0x5B, 0xDB)  # the manifest's accentColor, #3B5BDB
WHITE = (0xFF, 0xFF, 0xFF)
COLOR_SIZE = 192
OUTLINE_SIZE = 32
SAMPLES = 4

Shape = Callable[[float, float], bool]


def _circle(cx: float, cy: float, r: float) -> Shape:
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _shoulders(cx: float, cy: float, rx: float, ry: float, cut: float) -> Shape:
    return lambda x, y: y <= cut and ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1


def _person(cx: float, head_y: float, head_r: float, body_rx: float, grow: float = 0.0) -> Shape:
    head = _circle(cx, head_y, head_r + grow)
    body = _shoulders(cx, 0.80, body_rx + grow, 0.22 + grow, 0.74 + grow)
    return lambda x, y: head(x, y) or body(x, y)


# The middle person stands in front; a gap (its halo) separates it from the others.
_SIDES = (_person(0.26, 0.42, 0.085, 0.15), _person(0.74, 0.42, 0.085, 0.15))
_MIDDLE = _person(0.50, 0.34, 0.115, 0.21)
_HALO = _person(0.50, 0.34, 0.115, 0.21, grow=0.035)


def glyph_coverage(x: float, y: float) -> bool:
    """Whether the point (in 0..1 units, y down) is white."""
    if _MIDDLE(x, y):
        return True
    if _HALO(x, y):
        return False
    return any(side(x, y) for side in _SIDES)


def _coverage(size: int, margin: float) -> list[list[float]]:
    """Share of each pixel covered by the glyph, inside a margin of ``margin`` (0..1)."""
    scale = 1 - 2 * margin
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            hits = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = ((px + (sx + 0.5) / SAMPLES) / size - margin) / scale
                    y = ((py + (sy + 0.5) / SAMPLES) / size - margin) / scale
                    hits += glyph_coverage(x, y)
            row.append(hits / SAMPLES**2)
        rows.append(row)
    return rows


def png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    """An 8-bit RGBA PNG of ``pixels`` (rows of RGBA tuples)."""
    height, width = len(pixels), len(pixels[0])

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def color_icon() -> bytes:
    """192x192: the white glyph on the accent colour, edge to edge."""
    rows = _coverage(COLOR_SIZE, margin=0.16)

    def blend(c: float) -> tuple[int, int, int, int]:
        r, g, b = (round(a + (w - a) * c) for a, w in zip(ACCENT, WHITE, strict=True))
        return (r, g, b, 255)

    return png([[blend(c) for c in row] for row in rows])


def outline_icon() -> bytes:
    """32x32: the glyph in white, everything else fully transparent."""
    rows = _coverage(OUTLINE_SIZE, margin=0.04)
    return png([[(*WHITE, round(255 * c)) for c in row] for row in rows])


def write_icons(directory: Path) -> None:
    (directory / "color.png").write_bytes(color_icon())
    (directory / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    write_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "manifests/teams"))
