"""Read a CSV file in blocks of rows as Arrow string columns, with physical line numbers.

The importers (``dashboard/importers``) read analysts' exports of a million rows through it,
and the loaders of the atlas's own files (``readers.Reader``) their few thousand rows.

The bytes of each block are scanned with numpy (positions of quotes, newlines and commas)
to find where every row ends, which line it starts on, how many fields it has and whether
its quotes are well formed; the good rows are then parsed by ``pyarrow.csv`` in one call.
Rows that cannot be read are reported with their line and never swallow the next rows:

- a row with the wrong number of fields, or with a stray quote, on one line: that line;
- a quoted field that does not close where a row could end (an unterminated quote, which
  would otherwise run on to the end of the file): only the line where it opened, and
  reading starts again on the next line.

A quoted field may hold newlines (ACLED notes do); line numbers count them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv

QUOTE, COMMA, LF, CR = 34, 44, 10, 13
#: How many bytes are read and scanned at a time.
BLOCK_BYTES = 16 << 20
#: After a row that could not be read, the rest of the window is scanned again, in a
#: window a quarter the size, but at least this big: a file with many broken rows is not
#: rescanned block after block.
RESYNC_BYTES = 64 << 10
#: A row whose quoted field runs on for longer than this is taken for an unterminated quote.
MAX_ROW_BYTES = 1 << 20
_BOM = b"\xef\xbb\xbf"


class HeaderError(ValueError):
    """The file has no header row that can be read; ``reason`` says why, without the name."""

    def __init__(self, name: str, reason: str):
        """Name the file and say why its header cannot be read."""
        super().__init__(f"{name}: {reason}")
        self.reason = reason


#: What a header that is not UTF-8 text is told, with how to fix it.
_SAVE_AS_UTF8 = "save it as UTF-8 (in a spreadsheet: CSV UTF-8)"


@dataclass
class Block:
    """Rows read from the file: raw string columns and the line each row starts on."""

    table: pa.Table
    lines: np.ndarray  # int64, 1-based physical line of each row's first character


@dataclass
class CsvBlocks:
    """Iterate over a CSV file's rows in blocks; collect the rows that cannot be read.

    Attributes:
        header: Column names as the file gives them, stripped and lower-cased.
        rejected: ``(line, reason)`` of each row that could not be read as a row.
        rows_read: Every data row met so far (read or rejected), blank lines aside.
        skipped: ``(line, why)`` of lines that are not data and not errors (an HXL row).
    """

    path: Path
    columns: Sequence[str] | None = None
    block_bytes: int = BLOCK_BYTES
    #: Parse on pyarrow's thread pool (worth it for a large export, not for a small file).
    threads: bool = True
    header: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    rows_read: int = 0

    def read_header(self) -> list[str]:
        """Read and return the header row (raises ``HeaderError`` when there is none)."""
        with open(self.path, "rb") as fh:
            head = fh.read(MAX_ROW_BYTES)
        self._start = len(_BOM) if head.startswith(_BOM) else 0
        fault = _encoding_fault(head)
        if fault:
            raise HeaderError(self.path.name, fault)
        end = _first_row_end(head, self._start)
        if end is None and len(head) < MAX_ROW_BYTES and head.count(b'"') % 2 == 0:
            end = len(head)  # the whole file is one line: a header and no rows
        if end is None:
            raise HeaderError(self.path.name, "no header row (no line end) in the first MiB")
        text = _decode(head[self._start : end])
        if text is None:
            raise HeaderError(
                self.path.name, f"the header is not UTF-8 text (Latin-1?): {_SAVE_AS_UTF8}"
            )
        try:
            names = next(csv.reader([text.rstrip("\r\n")]), [])
        except csv.Error as error:
            raise HeaderError(self.path.name, f"the header cannot be read: {error}") from None
        if not any(n.strip() for n in names):
            raise HeaderError(self.path.name, "the first line is empty, not a header")
        header = [n.strip().lower() for n in names]
        twice = sorted({n for n in header if n and header.count(n) > 1})
        if twice:
            raise HeaderError(
                self.path.name, f"the header names column(s) more than once: {', '.join(twice)}"
            )
        self.header = header
        self._body = end + 1
        self._line = 1 + head.count(b"\n", self._start, end + 1)
        return self.header

    def __iter__(self) -> Iterator[Block]:
        """Yield blocks of rows; ``rejected`` and ``rows_read`` grow as they are read."""
        if not self.header:
            self.read_header()
        wanted = [c for c in (self.columns or self.header) if c in self.header]
        self._read_options = pv.ReadOptions(
            column_names=self.header, use_threads=self.threads, block_size=4 << 20
        )
        self._convert_options = pv.ConvertOptions(
            include_columns=wanted, column_types={c: pa.string() for c in wanted}
        )
        self._parse_options = pv.ParseOptions(newlines_in_values=True)
        self._wanted = wanted
        first = True
        with open(self.path, "rb") as fh:
            fh.seek(self._body)
            buf, pos, eof, window = b"", 0, False, self.block_bytes
            while True:
                if len(buf) - pos < window and not eof:
                    more = fh.read(max(window, self.block_bytes))
                    eof = not more
                    buf, pos = buf[pos:] + more, 0
                if pos >= len(buf):
                    return
                if first:
                    pos += self._skip_hxl(buf, pos)
                    first = False
                stop = min(len(buf), pos + window)
                at_eof = eof and stop == len(buf)
                scan = _scan(buf, pos, stop, at_eof, len(self.header))
                if scan.consumed == 0:
                    if at_eof:
                        return
                    window *= 2  # no whole row yet: a long quoted field, read on
                    continue
                block = self._take(buf, scan)
                if block is not None:
                    yield block
                self._line += scan.lines
                pos += scan.consumed
                resynced = scan.resync_line is not None
                if resynced:  # rows after it are scanned again: start smaller
                    window = max(RESYNC_BYTES, window // 4)
                else:
                    window = min(window * 2, self.block_bytes)

    def _skip_hxl(self, buf: bytes, pos: int) -> int:
        """Skip an HXL hashtag row (``#date+occurred,...``) right after the header."""
        end = buf.find(b"\n", pos)
        line = buf[pos : len(buf) if end < 0 else end]
        text = _decode(line)
        if text is None:
            return 0
        try:
            cells = [c.strip() for c in next(csv.reader([text.rstrip("\r")]), [])]
        except csv.Error:  # e.g. a field past csv's size limit: a long row, not tags
            return 0
        if any(cells) and all(c.startswith("#") for c in cells if c):
            self.skipped.append((self._line, "HXL hashtag row"))
            self._line += 1
            return len(line) + (end >= 0)
        return 0

    def _take(self, buf: bytes, scan: _Scan) -> Block | None:
        """Parse the scan's good rows with pyarrow; report the others."""
        lines = self._line + scan.line_offsets
        for i, reason in scan.reasons.items():
            self.rejected.append((int(lines[i]), reason))
        if scan.resync_line is not None:
            self.rejected.append((self._line + scan.resync_line, UNTERMINATED))
        good = np.flatnonzero(scan.good)
        self.rows_read += len(scan.reasons) + len(good) + (scan.resync_line is not None)
        if not len(good):
            return None
        starts, ends, lines = scan.starts[good], scan.ends[good], lines[good]
        try:
            table = pv.read_csv(
                pa.BufferReader(pa.py_buffer(_join_ranges(buf, starts, ends))),
                read_options=self._read_options,
                parse_options=self._parse_options,
                convert_options=self._convert_options,
            )
        except pa.ArrowInvalid:
            table = None  # e.g. bytes that are not UTF-8
        if table is None or table.num_rows != len(good):
            return self._take_slowly(buf, starts, ends, lines)
        return Block(table, lines)

    def _take_slowly(
        self, buf: bytes, starts: np.ndarray, ends: np.ndarray, lines: np.ndarray
    ) -> Block | None:
        """Read rows one by one with Python's csv module, rejecting those it cannot read."""
        rows, kept = [], []
        for s, e, line in zip(starts.tolist(), ends.tolist(), lines.tolist(), strict=True):
            text = _decode(buf[s:e])
            records = _records(text) if text else []
            if text is None:
                self.rejected.append((line, "not UTF-8 text"))
            elif len(records) != 1 or len(records[0]) != len(self.header):
                self.rejected.append((line, "the row cannot be read as one CSV row"))
            else:
                rows.append(records[0])
                kept.append(line)
        if not rows:
            return None
        where = {name: i for i, name in enumerate(self.header)}
        table = pa.table(
            {c: pa.array([r[where[c]] for r in rows], pa.string()) for c in self._wanted}
        )
        return Block(table, np.asarray(kept, dtype=np.int64))


def _records(text: str) -> list[list[str]]:
    """The CSV records of a row's text; pyarrow reads one with a field past csv's limit."""
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        try:
            table = pv.read_csv(
                pa.BufferReader(text.encode("utf-8")),
                read_options=pv.ReadOptions(autogenerate_column_names=True),
                parse_options=pv.ParseOptions(newlines_in_values=True),
                convert_options=pv.ConvertOptions(strings_can_be_null=False),
            )
        except pa.ArrowInvalid:
            return []
        return [[str(c[0].as_py()) for c in table.columns]] if table.num_rows == 1 else []


def _encoding_fault(head: bytes) -> str | None:
    """Why the start of a file is not UTF-8 CSV, when its bytes tell (UTF-16, NUL bytes)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"the file is UTF-16 text, not UTF-8: {_SAVE_AS_UTF8}"
    first_line = head[: head.find(b"\n") if b"\n" in head else len(head)]
    if b"\x00" in first_line:
        return (
            "the first line holds NUL bytes: the file is UTF-16 text without a byte order "
            f"mark, or not text at all; {_SAVE_AS_UTF8}"
        )
    return None


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _first_row_end(head: bytes, start: int) -> int | None:
    """Index of the newline that ends the first row (quotes balanced), or None."""
    inside = False
    for i in range(start, len(head)):
        c = head[i]
        if c == QUOTE:
            inside = not inside
        elif c == LF and not inside:
            return i
    return None


def _join_ranges(buf: bytes, starts: np.ndarray, ends: np.ndarray) -> bytes | memoryview:
    """The bytes of the rows ``[starts[i], ends[i])``; runs of adjacent rows are not copied."""
    breaks = np.flatnonzero(starts[1:] != ends[:-1]) + 1
    run_starts = np.concatenate([starts[:1], starts[breaks]]).tolist()
    run_ends = np.concatenate([ends[breaks - 1], ends[-1:]]).tolist()
    view = memoryview(buf)
    if len(run_starts) == 1:
        return view[run_starts[0] : run_ends[0]]
    return b"".join(view[s:e] for s, e in zip(run_starts, run_ends, strict=True))


@dataclass
class _Scan:
    """Where the rows of a window are and which of them can be read."""

    starts: np.ndarray  # byte offset of each row in the buffer
    ends: np.ndarray  # byte offset just after each row (its newline included)
    line_offsets: np.ndarray  # each row's line, counted from the window's first line
    good: np.ndarray  # bool: the row can be read
    reasons: dict[int, str]  # rows rejected where they stand, and why
    consumed: int  # bytes of the window used up (rows, blank lines, a rejected line)
    lines: int  # physical lines used up
    resync_line: int | None = None  # a row's first line rejected; read on from the next


UNTERMINATED = (
    "unterminated quote: a quoted field opened on this line does not close into a row "
    "(the line is skipped; reading goes on with the next line)"
)
MISQUOTED = "a quote in the wrong place (a quoted field must start and end at a comma)"


def _scan(buf: bytes, pos: int, stop: int, at_eof: bool, width: int) -> _Scan:
    """Find the rows of ``buf[pos:stop]`` and check each one's fields and quotes."""
    arr = np.frombuffer(buf, dtype=np.uint8, count=stop - pos, offset=pos)
    n = len(arr)
    quotes = np.flatnonzero(arr == QUOTE)
    newlines = np.flatnonzero(arr == LF)
    inside = (np.searchsorted(quotes, newlines) & 1).astype(bool)
    row_ends = newlines[~inside] + 1  # exclusive
    tail_start = int(row_ends[-1]) if len(row_ends) else 0
    unfinished = tail_start < n and not (at_eof and len(quotes) % 2 == 0)
    if tail_start < n and not unfinished:
        row_ends = np.append(row_ends, n)  # the file's last row, with no newline
        tail_start = n
    row_starts = np.concatenate([[0], row_ends[:-1]]).astype(np.int64)
    nrows = len(row_ends)

    commas = np.flatnonzero(arr[:tail_start] == COMMA)
    seps = commas[(np.searchsorted(quotes, commas) & 1) == 0]
    fields = 1 + np.bincount(np.searchsorted(row_ends, seps, side="right"), minlength=nrows)
    misquoted = np.bincount(
        np.searchsorted(row_ends, _bad_quotes(arr, quotes), side="right"), minlength=nrows + 1
    )
    nl_before = np.searchsorted(newlines, row_starts)
    spans = np.searchsorted(newlines, row_ends) - nl_before
    lengths = row_ends - row_starts
    first_byte = arr[np.minimum(row_starts, max(n - 1, 0))] if n else row_starts
    last_byte = arr[np.maximum(row_ends - 1, 0)] if n else row_ends
    blank = (lengths == 0) | ((lengths == 1) & ((first_byte == LF) | (first_byte == CR)))
    blank |= (lengths == 2) & (first_byte == CR) & (last_byte == LF)
    ok = (fields[:nrows] == width) & (misquoted[:nrows] == 0) & ~blank
    row_lines = spans + (last_byte != LF) if n else spans
    ok &= ~_swallows_a_row(arr, newlines, quotes, nl_before, row_lines, width, ok)
    broken = np.flatnonzero(~ok & ~blank)

    # A broken row over several lines began with an unterminated quote (or is beyond
    # repair): only its first line is rejected, and rows are looked for again after it.
    multi = broken[spans[broken] > 1]
    if len(multi):
        cut = int(multi[0])
        resync_start = int(row_starts[cut])
    elif unfinished and _hopeless(arr, newlines, tail_start, misquoted[nrows], at_eof):
        cut, resync_start = nrows, tail_start
    else:
        cut, resync_start = nrows, None
    reasons = {
        int(i): MISQUOTED if misquoted[i] else f"{fields[i]} field(s), the header has {width}"
        for i in broken
        if i < cut
    }
    if resync_start is None:
        consumed = int(row_ends[cut - 1]) if cut else 0
        lines = int(np.searchsorted(newlines, consumed))
        resync_line = None
    else:
        resync_line = int(np.searchsorted(newlines, resync_start))
        has_nl = resync_line < len(newlines)
        consumed = int(newlines[resync_line]) + 1 if has_nl else n
        lines = resync_line + has_nl
    return _Scan(
        starts=row_starts[:cut] + pos,
        ends=row_ends[:cut] + pos,
        line_offsets=nl_before[:cut].astype(np.int64),
        good=ok[:cut],
        reasons=reasons,
        consumed=consumed,
        lines=lines,
        resync_line=resync_line,
    )


def _swallows_a_row(
    arr: np.ndarray,
    newlines: np.ndarray,
    quotes: np.ndarray,
    nl_before: np.ndarray,
    row_lines: np.ndarray,
    width: int,
    ok: np.ndarray,
) -> np.ndarray:
    """Which rows over several lines hold a whole row of their own between their ends.

    A line inside such a row, neither its first nor its last, has no quote and ``width``
    fields. Two stray quotes at the start of fields, a few lines apart, read as one quoted field
    and make a row of the right width out of the lines between: the good rows there would
    be lost in it. On two lines next to each other, each line is a row of ``width`` fields
    but for its one quote, and the two make one row of the right width: a bad line taken
    for a row, and the next one lost. Such a row is broken from its first line instead (an
    unterminated quote), and the lines after it are read again. A quoted note's inner line
    would need as many commas as the header, and no quote, to be taken for one; its first
    and last lines would each need as many commas as the header, and one quote.
    """
    suspects = np.zeros(len(ok), dtype=bool)
    candidates = np.flatnonzero(ok & (row_lines >= 2))  # first line, inner line(s), last line
    if not len(candidates) or width < 2:
        return suspects
    starts = np.concatenate([[0], newlines + 1])  # each line's first byte
    ends = np.append(newlines, len(arr))  # each line's end (its newline)
    commas = np.flatnonzero(arr == COMMA)
    line_commas = np.searchsorted(commas, ends) - np.searchsorted(commas, starts)
    line_quotes = np.searchsorted(quotes, ends) - np.searchsorted(quotes, starts)
    whole = (line_quotes == 0) & (line_commas == width - 1)
    seen = np.concatenate([[0], np.cumsum(whole)])
    first_inner = nl_before[candidates] + 1
    last_inner = nl_before[candidates] + row_lines[candidates] - 2
    first, last = nl_before[candidates], nl_before[candidates] + row_lines[candidates] - 1
    # a row of its own but for one quote: the first and the last line both (a stray quote each)
    own = (line_quotes == 1) & (line_commas == width - 1)
    suspects[candidates] = (seen[last_inner + 1] - seen[first_inner] > 0) | (own[first] & own[last])
    return suspects


def _hopeless(
    arr: np.ndarray, newlines: np.ndarray, tail_start: int, misquoted: int, at_eof: bool
) -> bool:
    """Whether the unfinished last row of a window can never become a good row.

    It cannot when the file ends inside its quoted field, or when it already runs over
    several lines and holds a stray quote or more than ``MAX_ROW_BYTES``.
    """
    if at_eof:
        return True
    several_lines = newlines[-1] >= tail_start if len(newlines) else False
    return bool(several_lines and (misquoted or len(arr) - tail_start > MAX_ROW_BYTES))


def _bad_quotes(arr: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """Positions of quotes that are out of place.

    Counting quotes from the start of a row, an opening quote (even count) must follow a
    comma or begin a line, a closing quote (odd count) must come before a comma or a line
    end; a doubled quote inside a quoted field counts as a closing and an opening one.
    """
    if not len(quotes):
        return quotes
    n = len(arr)
    prev = arr[np.maximum(quotes - 1, 0)]
    nxt = arr[np.minimum(quotes + 1, n - 1)]
    after_quote = np.zeros(len(quotes), dtype=bool)
    after_quote[1:] = quotes[1:] == quotes[:-1] + 1
    before_quote = np.zeros(len(quotes), dtype=bool)
    before_quote[:-1] = quotes[:-1] + 1 == quotes[1:]
    open_ok = (quotes == 0) | (prev == COMMA) | (prev == LF) | after_quote
    close_ok = (quotes == n - 1) | (nxt == COMMA) | (nxt == LF) | (nxt == CR) | before_quote
    opening = (np.arange(len(quotes)) & 1) == 0
    return quotes[~np.where(opening, open_ok, close_ok)]
