"""Build the MapLibre glyph files (SDF font ranges) that let the map draw text offline.

MapLibre draws map text from signed-distance-field glyphs fetched per 256-code-point
range as ``{fontstack}/{start}-{end}.pbf``. Plotly's stock styles fetch them from a remote
server; Sahel Atlas serves its own from ``assets/glyphs/``. Run
``python -m dashboard.build_glyphs`` (needs ``requirements-build.txt``) to rebuild them from
a TrueType font; the result is committed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import freetype
import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parent.parent
#: The font stack name the figures ask for; ``figures.MAP_FONT`` must match it.
FONTSTACK = "Sahel Sans Regular"
DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: Latin, Latin-1, Latin Extended-A/B and general punctuation (dashes, quotes).
RANGES = (0, 256, 512, 8192)

SIZE = 24  # MapLibre's glyph em size in pixels
BUFFER = 3  # padding around each bitmap, as MapLibre expects
RADIUS = 8.0  # distance (px) mapped onto the byte range
CUTOFF = 0.25  # share of the byte range used inside the glyph
ASCENT = 26  # MapLibre measures ``top`` from this line above the baseline
OVERSAMPLE = 4  # render larger, then average distances down, for smooth edges


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, value: int | bytes | str, *, signed: bool = False) -> bytes:
    """Encode one protobuf field (varint or length-delimited)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    if isinstance(value, bytes):
        return _varint(number << 3 | 2) + _varint(len(value)) + value
    if signed:  # zig-zag, for sint32
        value = (value << 1) ^ (value >> 31)
    return _varint(number << 3) + _varint(value)


def signed_distance(mask: np.ndarray) -> np.ndarray:
    """Return the signed distance (pixels, positive outside) to the edge of ``mask``."""
    outside = ndimage.distance_transform_edt(~mask)
    inside = ndimage.distance_transform_edt(mask)
    return np.where(mask, -(inside - 0.5), outside - 0.5)


def render_glyph(face: freetype.Face, code: int) -> bytes | None:
    """Render one code point as a protobuf ``glyph`` message, or None if the font lacks it."""
    if face.get_char_index(code) == 0 and code != 32:
        return None
    face.set_pixel_sizes(0, SIZE)
    face.load_char(chr(code), freetype.FT_LOAD_DEFAULT)
    metrics = face.glyph.metrics
    advance = round(face.glyph.advance.x / 64)
    left = metrics.horiBearingX // 64
    top = -(-metrics.horiBearingY // 64)
    width = -(-(metrics.horiBearingX + metrics.width) // 64) - left
    height = top - (metrics.horiBearingY - metrics.height) // 64
    message = _field(1, code)
    if width > 0 and height > 0:
        big = SIZE * OVERSAMPLE
        face.set_pixel_sizes(0, big)
        face.load_char(chr(code), freetype.FT_LOAD_RENDER)
        bitmap = face.glyph.bitmap
        alpha = np.array(bitmap.buffer, dtype=np.uint8).reshape(bitmap.rows, bitmap.pitch)
        alpha = alpha[:, : bitmap.width]
        pad = BUFFER * OVERSAMPLE
        canvas = np.zeros(((height + 2 * BUFFER) * OVERSAMPLE, (width + 2 * BUFFER) * OVERSAMPLE))
        x0 = pad + face.glyph.bitmap_left - left * OVERSAMPLE
        y0 = pad + top * OVERSAMPLE - face.glyph.bitmap_top
        rows = min(alpha.shape[0], canvas.shape[0] - y0)
        cols = min(alpha.shape[1], canvas.shape[1] - x0)
        canvas[y0 : y0 + rows, x0 : x0 + cols] = alpha[:rows, :cols]
        distance = signed_distance(canvas >= 128) / OVERSAMPLE
        shape = (height + 2 * BUFFER, OVERSAMPLE, width + 2 * BUFFER, OVERSAMPLE)
        distance = distance.reshape(shape).mean(axis=(1, 3))
        sdf = np.clip(np.rint(255 - 255 * (distance / RADIUS + CUTOFF)), 0, 255)
        message += _field(2, sdf.astype(np.uint8).tobytes())
    message += _field(3, max(width, 0)) + _field(4, max(height, 0))
    message += _field(5, left, signed=True) + _field(6, top - ASCENT, signed=True)
    return message + _field(7, advance)


def build_range(face: freetype.Face, start: int) -> bytes:
    """Return the ``.pbf`` bytes of the 256 code points from ``start``."""
    end = start + 255
    stack = _field(1, FONTSTACK) + _field(2, f"{start}-{end}")
    for code in range(start, end + 1):
        glyph = render_glyph(face, code)
        if glyph is not None:
            stack += _field(3, glyph)
    return _field(1, stack)


def main(argv: list[str] | None = None) -> None:
    """Write ``assets/glyphs/<fontstack>/<range>.pbf`` for the ranges the map uses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", type=Path, default=DEFAULT_FONT)
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "glyphs")
    args = parser.parse_args(argv)
    face = freetype.Face(str(args.font))
    folder = args.out / FONTSTACK
    folder.mkdir(parents=True, exist_ok=True)
    for start in RANGES:
        path = folder / f"{start}-{start + 255}.pbf"
        path.write_bytes(build_range(face, start))
        print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
