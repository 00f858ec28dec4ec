"""Malformed files for every loader and importer: what each reads, its good rows, its garbage.

A ``Spec`` describes one kind of file: its header, a good row (built from Hypothesis
draws), the columns whose numbers and dates are checked, and how to read a file of that
kind into an ``Outcome`` (the good rows it kept, the problems it reported by line, and the
reason when it refused the whole file). ``messy_file`` plants good rows among garbage
lines, each of which the reader must report on its own line; ``TRIED`` counts the inputs
each test tried, which ``conftest.pytest_terminal_summary`` prints after the run.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from dashboard.borders import Borders
from dashboard.data import (
    COLUMNS,
    GEODATA,
    load_control,
    load_events,
    load_groups,
    load_places,
    load_sources,
)
from dashboard.domain import Group, Source
from dashboard.geofiles import read_geojson
from dashboard.importers import import_events
from dashboard.moments import COLUMNS as MOMENT_COLUMNS
from dashboard.moments import load_moments
from dashboard.readers import Problem

#: Inputs tried, by test and kind of file (printed at the end of the run).
TRIED: Counter = Counter()

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
_COUNTRIES = read_geojson(GEODATA / "countries.geojson", [], required=True)
BORDERS = Borders(_COUNTRIES)
SOURCES = {"src-a": Source("src-a", "A report", "Agency", date(2013, 1, 10), "https://a.example")}
GROUPS = {"g-a": Group("g-a", "A group", "AG", "rebel", "#123456")}
NEXT_YEAR = date.today().year + 1

# Text a good row may hold: quotes, commas, newlines, markup; now and then 200 kB of it.
TEXT = st.text(alphabet="ab ,\"\n;é<>&'", max_size=25).map(lambda t: f"t{t}")
HUGE = st.integers(200_000, 210_000).map(lambda n: "h" + "é" * (n // 2))
TEXT_OR_HUGE = st.one_of(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, HUGE)
DAY = st.dates(date(1990, 1, 1), date(2025, 12, 31))
#: Days no record may have: before 1900, or after next year.
IMPLAUSIBLE = st.sampled_from(
    ["0001-01-01", "1850-06-01", "1899-12-31", "9999-12-31", f"{NEXT_YEAR + 1}-01-01"]
)
#: Numbers that are no numbers, or none that a checked column can hold.
NOT_NUMBERS = st.sampled_from(["NaN", "nan", "inf", "-inf", "Infinity", "1e999", "-1e999"])


@dataclass
class Outcome:
    """What a reader made of a file."""

    kept: dict[str, str]  # good row id -> its checked text
    problems: list[tuple[int, str]]  # (line, reason) of each problem
    whole: str | None = None  # why the whole file was refused


@dataclass
class Spec:
    """One kind of file and how to read it."""

    name: str
    header: tuple[str, ...]
    good: Callable  # (draw, n) -> dict of column -> value
    key: str  # the column that identifies a row
    text: str  # a text column whose value must come through intact
    read: Callable[[Path], Outcome]
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    expected: Callable[[str], str] = field(default=lambda text: text.strip())


def _loader_outcome(name: str, problems: list[Problem], kept: dict[str, str]) -> Outcome:
    assert all(p.file == name for p in problems), problems
    whole = next((p.reason for p in problems if p.whole_file), None)
    return Outcome(kept, [(p.line, p.reason) for p in problems], whole)


def _read_with(name: str, load: Callable, key: Callable, text: Callable) -> Callable:
    def read(path: Path) -> Outcome:
        problems: list[Problem] = []
        records = load(path, problems)
        records = records.values() if isinstance(records, dict) else records
        return _loader_outcome(name, problems, {key(r): text(r) for r in records})

    return read


def _import_outcome(fmt: str, text_of: Callable) -> Callable:
    def read(path: Path) -> Outcome:
        try:
            result = import_events(path, "auto", GROUPS, sources=SOURCES, countries=_COUNTRIES)
        except ValueError as error:
            assert str(error).startswith(f"{path.name}: "), error
            return Outcome({}, [], str(error))
        report = result.report
        if report.error:
            return Outcome({}, [], report.error)
        assert report.format == fmt, report.format
        assert report.rows_read == report.imported + len(report.rejected)
        table = result.table
        kept = dict(
            zip(
                table.column("event_id").to_pylist(),
                text_of(table),
                strict=True,
            )
        )
        return Outcome(kept, list(report.rejected))

    return read


def _day(draw) -> str:
    return draw(DAY).isoformat()


def _fixture_row(name: str) -> tuple[tuple[str, ...], dict[str, str]]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        return tuple(header), dict(zip(header, next(rows), strict=True))


ACLED_HEADER, ACLED_ROW = _fixture_row("acled_current.csv")
UCDP_HEADER, UCDP_ROW = _fixture_row("ucdp_ged.csv")
_MONTHS = "January February March April May June July August September October November December"


def _acled_day(draw) -> str:
    day = draw(DAY)
    style = draw(st.sampled_from(["iso", "long", "dmy"]))
    if style == "long":
        return f"{day.day} {_MONTHS.split()[day.month - 1]} {day.year}"
    return day.isoformat() if style == "iso" else day.strftime("%d-%m-%Y")


def _atlas_event(draw, n: int) -> dict[str, str]:
    day = draw(DAY)
    return {
        "event_id": f"G{n}",
        "event_date": day.isoformat(),
        "end_date": draw(st.sampled_from(["", day.isoformat(), (day + timedelta(2)).isoformat()])),
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Unidentified armed group",
        "actor2": "",
        "country": "Mali",
        "admin1": "Gao",
        "location": "Gao",
        "latitude": "16.2667",
        "longitude": "-0.05",
        "geo_precision": draw(st.sampled_from(["1", "2", "3"])),
        "fatalities": draw(st.sampled_from(["", "0", "7"])),
        "notes": draw(TEXT_OR_HUGE),
        "sources": "src-a",
    }


SPECS = {
    "sources.csv": Spec(
        "sources.csv",
        COLUMNS["sources.csv"],
        lambda draw, n: {
            "id": f"s-{n}",
            "title": draw(TEXT_OR_HUGE),
            "publisher": draw(TEXT),
            "published": draw(st.one_of(st.just(""), DAY.map(date.isoformat))),
            "url": f"https://example.org/{n}",
        },
        "id",
        "title",
        _read_with("sources.csv", load_sources, lambda s: s.id, lambda s: s.title),
        dates=("published",),
    ),
    "groups.csv": Spec(
        "groups.csv",
        (*COLUMNS["groups.csv"], "description"),
        lambda draw, n: {
            "id": f"g-{n}",
            "name": draw(TEXT_OR_HUGE),
            "short_name": draw(TEXT),
            "kind": "state",
            "color": "#aabbcc",
            "aliases": "A|B",
            "description": draw(TEXT),
        },
        "id",
        "name",
        _read_with(
            "groups.csv",
            lambda p, pr: load_groups(p, pr, SOURCES),
            lambda g: g.id,
            lambda g: g.name,
        ),
    ),
    "places.csv": Spec(
        "places.csv",
        COLUMNS["places.csv"],
        lambda draw, n: {
            "id": f"p-{n}",
            "name": draw(TEXT_OR_HUGE),
            "name_fr": draw(TEXT),
            "lat": "16.2667",
            "lon": "-0.05",
            "country_iso3": "MLI",
            "kind": "city",
            "source": "src-a",
        },
        "id",
        "name",
        _read_with(
            "places.csv",
            lambda p, pr: load_places(p, pr, SOURCES, BORDERS),
            lambda p: p.id,
            lambda p: p.name,
        ),
        numbers=("lat", "lon"),
    ),
    "control.csv": Spec(
        "control.csv",
        COLUMNS["control.csv"],
        lambda draw, n: {
            "place": f"p-{n}",
            "start": _day(draw),
            "end": "",
            "groups": "g-a",
            "status": "held",
            "confidence": "high",
            "sources": "src-a",
            "note": draw(TEXT_OR_HUGE),
        },
        "place",
        "note",
        _read_with(
            "control.csv",
            lambda p, pr: load_control(
                p, pr, places={f"p-{i}": None for i in range(200)}, groups=GROUPS, sources=SOURCES
            ),
            lambda c: c.place,
            lambda c: c.note,
        ),
        dates=("start", "end"),
    ),
    "events.csv": Spec(
        "events.csv",
        COLUMNS["events.csv"],
        _atlas_event,
        "event_id",
        "notes",
        _read_with(
            "events.csv",
            lambda p, pr: load_events(p, pr, sources=SOURCES, borders=BORDERS, groups=GROUPS),
            lambda e: e.event_id,
            lambda e: e.notes,
        ),
        numbers=("latitude", "longitude", "geo_precision", "fatalities"),
        dates=("event_date", "end_date"),
    ),
    "moments.csv": Spec(
        "moments.csv",
        MOMENT_COLUMNS,
        lambda draw, n: {
            "id": f"m-{n}",
            "date": (date(2012, 1, 1) + timedelta(n)).isoformat(),  # moments come in order
            "title": draw(TEXT_OR_HUGE),
            "caption": draw(TEXT),
            "lat": "16.2",
            "lon": "-0.05",
            "zoom": draw(st.sampled_from(["0", "5", "7.5", "18"])),
            "window": draw(st.sampled_from(["30", "all", "1"])),
            "events": "",
            "sources": "src-a",
        },
        "id",
        "title",
        _read_with(
            "moments.csv",
            lambda p, pr: load_moments(p, SOURCES, set(), pr),
            lambda m: m.id,
            lambda m: m.title,
        ),
        numbers=("lat", "lon", "zoom", "window"),
        dates=("date",),
    ),
    "acled": Spec(
        "acled",
        ACLED_HEADER,
        lambda draw, n: {
            **ACLED_ROW,
            "event_id_cnty": f"G{n}",
            "event_date": _acled_day(draw),
            "notes": draw(TEXT_OR_HUGE),
            "fatalities": draw(st.sampled_from(["", "0", "12"])),
        },
        "event_id_cnty",
        "notes",
        _import_outcome("acled", lambda t: t.column("notes").to_pylist()),
        numbers=("latitude", "longitude", "fatalities", "time_precision", "geo_precision"),
        dates=("event_date",),
    ),
    "ucdp": Spec(
        "ucdp",
        UCDP_HEADER,
        lambda draw, n: {
            **UCDP_ROW,
            "id": f"{900000 + n}",
            "date_start": (day := _day(draw)),
            "date_end": day,
            "where_description": draw(TEXT_OR_HUGE),
        },
        "id",
        "where_description",
        _import_outcome("ucdp", lambda t: t.column("notes").to_pylist()),
        numbers=("latitude", "longitude", "best", "low", "high", "where_prec", "date_prec"),
        dates=("date_start", "date_end"),
        expected=lambda text: f"Conflict: {UCDP_ROW['conflict_name']}. Where: {text.strip()}",
    ),
    "atlas": Spec(
        "atlas",
        COLUMNS["events.csv"],
        _atlas_event,
        "event_id",
        "notes",
        _import_outcome("atlas", lambda t: t.column("notes").to_pylist()),
        numbers=("latitude", "longitude", "geo_precision", "fatalities"),
        dates=("event_date", "end_date"),
    ),
}


def csv_line(cells: list[str], eol: str) -> bytes:
    """One row as CSV writes it, quoting where needed."""
    out = io.StringIO()
    csv.writer(out, lineterminator=eol).writerow(cells)
    return out.getvalue().encode("utf-8")


#: The ways a garbage line is broken.
GARBAGE_KINDS = (
    "fields",
    "stray-quote",
    "inner-quote",
    "number",
    "date",
    "latin-1",
    "bytes",
    "huge",
    "spaces",
)


@st.composite
def garbage_line(draw, spec: Spec, n: int) -> tuple[str, bytes, str]:
    """A line that no reader may take for a good row, and a word its reason must hold."""
    # a good row made plain (no quote, comma or newline), then broken one way
    row = {
        c: v.replace("\n", " ").replace('"', "").replace(",", " ")
        for c, v in spec.good(draw, n).items()
    }
    row[spec.key] = _bad_key(spec, n)
    cells = [row[c] for c in spec.header]
    kind = draw(st.sampled_from(GARBAGE_KINDS))
    if kind == "number" and not spec.numbers or kind == "date" and not spec.dates:
        kind = "fields"
    must_say = ""
    if kind == "fields":
        k = draw(st.integers(1, len(cells) + 3).filter(lambda k: k != len(cells)))
        cells = (cells + ["x", "y", "z"])[:k]
    elif kind == "stray-quote":  # the case: it must not swallow the next good row
        i = draw(st.integers(0, len(cells) - 1))
        cells[i] = '"' + cells[i]
    elif kind == "inner-quote":
        i = draw(st.integers(0, len(cells) - 1))
        cells[i] = f'x"{cells[i]}'
    elif kind == "number":
        cells[spec.header.index(draw(st.sampled_from(spec.numbers)))] = draw(NOT_NUMBERS)
    elif kind == "date":
        cells[spec.header.index(draw(st.sampled_from(spec.dates)))] = draw(IMPLAUSIBLE)
        must_say = "1900|after"
    elif kind == "latin-1":
        cells[spec.header.index(spec.text)] = "café"
        return kind, ",".join(cells).encode("latin-1"), ""
    elif kind == "bytes":
        junk = draw(st.binary(min_size=1, max_size=120))
        junk = bytes(b for b in junk if b not in b'\r\n"') or b"\xff"
        return kind, junk, ""
    elif kind == "huge":
        cells[spec.header.index(spec.text)] = "z" * 300_000
        cells = cells[:-1]
    elif kind == "spaces":
        return kind, b"   ", ""
    return kind, ",".join(cells).encode("utf-8"), must_say


def _bad_key(spec: Spec, n: int) -> str:
    """A key no good row has."""
    if spec.key == "place":
        return f"p-{100 + n}"
    return f"{901000 + n}" if spec.name == "ucdp" else f"b-{n}"


@st.composite
def messy_file(draw, spec: Spec, *, garbage: bool = True):
    """A file of good rows planted among garbage lines.

    Returns ``(bytes, good, bad)``: ``good`` maps each good row's key to ``(line, text)``,
    ``bad`` each garbage line to ``(kind, what its reason must say)``.
    """
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    out = bytearray(bom + csv_line(list(spec.header), eol))
    good: dict[str, tuple[int, str]] = {}
    bad: dict[int, tuple[str, str]] = {}
    plan = draw(st.lists(st.booleans() if garbage else st.just(True), min_size=1, max_size=12))
    for n, is_good in enumerate(plan):
        line = out.count(b"\n") + 1
        if is_good:
            row = spec.good(draw, n)
            out += csv_line([row[c] for c in spec.header], eol)
            good[row[spec.key]] = (line, row[spec.text])
        else:
            kind, raw, must_say = draw(garbage_line(spec, n))
            out += raw + eol.encode()
            bad[line] = (kind, must_say)
    return bytes(out), good, bad
