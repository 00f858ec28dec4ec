"""Read the structure of the recordings the page makes: WebM (EBML) and animated GIF.

Small readers of the containers alone, so that a test can count the frames a file holds
and read their times without a media library; the browser decodes the pictures.
"""

import struct
from dataclasses import dataclass, field

# EBML ids (Matroska / WebM)
SEGMENT, INFO, TRACKS, TRACK_ENTRY, VIDEO, CLUSTER, BLOCK_GROUP = (
    0x18538067,
    0x1549A966,
    0x1654AE6B,
    0xAE,
    0xE0,
    0x1F43B675,
    0xA0,
)
MASTERS = {SEGMENT, INFO, TRACKS, TRACK_ENTRY, VIDEO, CLUSTER, BLOCK_GROUP}
EBML_HEADER, DOC_TYPE = 0x1A45DFA3, 0x4282
TIMESTAMP_SCALE, DURATION, CODEC_ID = 0x2AD7B1, 0x4489, 0x86
PIXEL_WIDTH, PIXEL_HEIGHT = 0xB0, 0xBA
CLUSTER_TIMESTAMP, SIMPLE_BLOCK, BLOCK = 0xE7, 0xA3, 0xA1


@dataclass
class WebM:
    """What a WebM file says of itself: its video track and its frames."""

    doc_type: str = ""
    codec: str = ""
    width: int = 0
    height: int = 0
    timestamp_scale: int = 1_000_000  # ns per tick; Matroska's default, 1 ms
    duration_ticks: float | None = None
    #: (time in ms, key frame, the frame's encoded bytes), in file order
    frames: list[tuple[float, bool, bytes]] = field(default_factory=list)

    @property
    def duration_ms(self) -> float | None:
        """The segment's duration in ms, as its Info says."""
        if self.duration_ticks is None:
            return None
        return self.duration_ticks * self.timestamp_scale / 1e6


def _vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at ``at``: (value, its length in bytes)."""
    first = data[at]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise ValueError(f"not an EBML number at byte {at}")
    value = first if keep_marker else first & (0xFF >> length)
    for b in data[at + 1 : at + length]:
        value = (value << 8) | b
    return value, length


def read_webm(data: bytes) -> WebM:
    """Walk a WebM file's elements and collect its track, timing and frames."""
    out = WebM()
    cluster_time = 0

    def walk(start: int, end: int) -> None:
        nonlocal cluster_time
        at = start
        while at < end:
            element, n = _vint(data, at, keep_marker=True)
            size, m = _vint(data, at + n, keep_marker=False)
            body = at + n + m
            unknown = size == (1 << (7 * m)) - 1
            stop = end if unknown else body + size
            payload = data[body:stop]
            if element in MASTERS or element == EBML_HEADER:
                walk(body, stop)
            elif element == DOC_TYPE:
                out.doc_type = payload.decode("ascii")
            elif element == TIMESTAMP_SCALE:
                out.timestamp_scale = int.from_bytes(payload, "big")
            elif element == DURATION:
                out.duration_ticks = struct.unpack(">f" if size == 4 else ">d", payload)[0]
            elif element == CODEC_ID:
                out.codec = payload.decode("ascii")
            elif element == PIXEL_WIDTH:
                out.width = int.from_bytes(payload, "big")
            elif element == PIXEL_HEIGHT:
                out.height = int.from_bytes(payload, "big")
            elif element == CLUSTER_TIMESTAMP:
                cluster_time = int.from_bytes(payload, "big")
            elif element in (SIMPLE_BLOCK, BLOCK):
                _, t = _vint(payload, 0, keep_marker=False)  # the track number
                relative = int.from_bytes(payload[t : t + 2], "big", signed=True)
                key = element == SIMPLE_BLOCK and bool(payload[t + 2] & 0x80)
                ticks = cluster_time + relative
                out.frames.append((ticks * out.timestamp_scale / 1e6, key, payload[t + 3 :]))
            at = stop

    walk(0, len(data))
    return out


@dataclass
class Gif:
    """What an animated GIF holds: its size and each frame's delay."""

    width: int
    height: int
    delays_ms: list[int]  # one per image, from the Graphic Control Extension before it


def _skip_sub_blocks(data: bytes, at: int) -> int:
    while data[at]:
        at += data[at] + 1
    return at + 1


def read_gif(data: bytes) -> Gif:
    """Walk a GIF's blocks: count its images and read their delays."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    width = int.from_bytes(data[6:8], "little")
    height = int.from_bytes(data[8:10], "little")
    packed = data[10]
    at = 13 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0)
    delays: list[int] = []
    delay = 0
    while True:
        kind = data[at]
        if kind == 0x3B:  # trailer
            return Gif(width, height, delays)
        if kind == 0x21:  # an extension: its label, then sub-blocks
            if data[at + 1] == 0xF9:  # graphic control: the next image's delay, in 1/100 s
                delay = int.from_bytes(data[at + 4 : at + 6], "little") * 10
            at = _skip_sub_blocks(data, at + 2)
        elif kind == 0x2C:  # an image: descriptor, local colour table, LZW data
            local = data[at + 9]
            at += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0)
            at = _skip_sub_blocks(data, at + 1)
            delays.append(delay)
            delay = 0
        else:
            raise ValueError(f"unexpected GIF block 0x{kind:02x} at byte {at}")
