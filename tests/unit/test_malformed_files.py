"""Malformed files thrown at every loader and importer (Hypothesis): a clear error or a
report of the rejected rows, never a crash, a hang or a lost good row."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.geofiles import check_countries, check_regions, read_geojson
from dashboard.readers import Problem
from tests.unit.malformed import SPECS, TRIED, csv_line, messy_file

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("kind", list(SPECS))
@EXAMPLES
@given(data=st.data())
def test_good_rows_among_garbage_all_load_and_each_bad_line_is_reported(
    tmp_path_factory, kind, data
):
    spec = SPECS[kind]
    raw, good, bad = data.draw(messy_file(spec))
    path = tmp_path_factory.mktemp("messy") / ("x.csv" if "." not in kind else kind)
    path.write_bytes(raw)
    outcome = spec.read(path)
    TRIED[f"{kind}: good rows among garbage"] += 1
    assert outcome.whole is None, outcome.whole
    for key, (line, text) in good.items():
        assert key in outcome.kept, f"the good row on line {line} was lost: {outcome.problems}"
        assert outcome.kept[key] == spec.expected(text)
    assert len(outcome.kept) == len(good), "a garbage line was taken for a row"
    good_lines = {line for line, _ in good.values()}
    assert not [p for p in outcome.problems if p[0] in good_lines], outcome.problems
    reported = {line for line, _ in outcome.problems}
    for line, (what, must_say) in bad.items():
        reasons = [reason for at, reason in outcome.problems if at == line]
        if not reasons:
            # two stray quotes on garbage lines in a row pair up into one quoted field:
            # one bad row over both lines, reported on its first
            first = max((at for at in reported if at < line), default=0)
            assert first and all(n in bad for n in range(first, line + 1)), (
                f"line {line} ({what}) is not reported: {outcome.problems}"
            )
            continue
        assert not must_say or any(re.search(must_say, r) for r in reasons), reasons


FAULTS = (
    "latin-1",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "empty",
    "random bytes",
    "truncated",
    "missing column",
    "extra column",
    "repeated column",
    "blank first line",
    "header only",
)


@st.composite
def faulty_file(draw, spec):
    """Good rows only, then one fault to the whole file: ``(bytes, fault, rows, ends)``."""
    rows = [spec.good(draw, n) for n in range(draw(st.integers(1, 5)))]
    header = list(spec.header)
    fault = draw(st.sampled_from(FAULTS))
    if fault == "missing column":
        header.remove(spec.key)
    elif fault == "extra column":
        header.append("extra")
        rows = [{**row, "extra": "x"} for row in rows]
    elif fault == "repeated column":
        header.append(spec.text)
    elif fault == "header only":
        rows = []
    lines = [csv_line(header, "\n")] + [
        csv_line([r.get(c, "") for c in header], "\n") for r in rows
    ]
    text = b"".join(lines).decode("utf-8")
    ends = [sum(map(len, lines[: i + 2])) for i in range(len(rows))]
    if fault == "latin-1":
        return text.encode("latin-1", "replace"), fault, rows, lines
    if fault.startswith("utf-16"):
        return text.encode(fault.replace("-", "_")), fault, rows, ends
    if fault == "empty":
        return b"", fault, rows, ends
    if fault == "random bytes":
        return draw(st.binary(max_size=2000)), fault, rows, ends
    if fault == "truncated":
        cut = draw(st.integers(len(lines[0]), max(len(lines[0]), len(text.encode()) - 1)))
        return text.encode()[:cut], fault, rows, [e if e <= cut else None for e in ends]
    if fault == "blank first line":
        return b"\n" + text.encode(), fault, rows, ends
    return text.encode(), fault, rows, ends


@pytest.mark.parametrize("kind", list(SPECS))
@EXAMPLES
@given(data=st.data())
def test_a_fault_to_the_whole_file_is_one_clear_error_or_rejected_rows(
    tmp_path_factory, kind, data
):
    spec = SPECS[kind]
    raw, fault, rows, ends = data.draw(faulty_file(spec))
    path = tmp_path_factory.mktemp("faulty") / ("x.csv" if "." not in kind else kind)
    path.write_bytes(raw)
    outcome = spec.read(path)
    TRIED[f"{kind}: whole-file faults"] += 1
    keys = [r[spec.key] for r in rows]
    if fault in ("utf-16", "utf-16-le", "utf-16-be"):
        assert outcome.whole and re.search("UTF-16|NUL", outcome.whole), outcome
    elif fault in ("empty", "blank first line"):
        assert outcome.whole and "empty" in outcome.whole, outcome
    elif fault == "repeated column":
        assert outcome.whole and "more than once" in outcome.whole, outcome
    elif fault == "missing column":
        assert outcome.whole and spec.key in outcome.whole, outcome
    elif fault in ("extra column", "header only"):
        assert outcome.whole is None and not outcome.problems, outcome
        assert sorted(outcome.kept) == sorted(keys)
    elif fault == "latin-1":
        # rows written in plain ASCII are the same in Latin-1 and still load; the others
        # are reported on their own line as not UTF-8
        lines = ends  # for this fault: each row's bytes as UTF-8
        for n, key in enumerate(keys):
            if lines[n + 1].isascii():
                assert outcome.kept.get(key) == spec.expected(rows[n][spec.text])
            else:
                assert key not in outcome.kept
    elif fault == "truncated":
        for key, end, row in zip(keys, ends, rows, strict=True):
            if end is not None:  # the whole row is before the cut
                assert outcome.kept.get(key) == spec.expected(row[spec.text]), outcome
    assert all(line >= 0 for line, _ in outcome.problems)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(["Polygon", "MultiPolygon", "Feature", "FeatureCollection", "MLI"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=30,
)


@st.composite
def geojson_like(draw):
    """Text that is now and then a FeatureCollection with broken features."""
    ring = [[-1, 15], [1, 15], [1, 17], [-1, 17], [-1, 15]]
    feature = st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "properties": st.one_of(
                JSON,
                st.fixed_dictionaries(
                    {"iso_a3": st.sampled_from(["MLI", "mli", "", 5]), "name": JSON, "focus": JSON}
                ),
            ),
            "geometry": st.one_of(
                JSON,
                st.fixed_dictionaries(
                    {
                        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point"]),
                        "coordinates": st.one_of(JSON, st.just([ring]), st.just([[ring]])),
                    }
                ),
            ),
        }
    )
    doc = draw(
        st.one_of(
            JSON,
            st.fixed_dictionaries(
                {"type": st.just("FeatureCollection"), "features": st.lists(feature, max_size=4)}
            ),
        )
    )
    text = json.dumps(doc)
    return draw(
        st.sampled_from(
            [
                text.encode(),
                text.encode("utf-16"),
                text[: len(text) // 2].encode(),
                text.replace("15", "NaN").encode(),
                text.replace("15", "Infinity").encode(),
                b"[" * 100_000,
            ]
        )
    )


@EXAMPLES
@given(raw=geojson_like(), which=st.sampled_from(["countries.geojson", "mali_regions.geojson"]))
def test_a_broken_geojson_file_is_a_problem_never_a_crash(tmp_path_factory, raw, which):
    path = tmp_path_factory.mktemp("geo") / which
    path.write_bytes(raw)
    problems: list[Problem] = []
    doc = read_geojson(path, problems, required=True)
    check = check_countries if which == "countries.geojson" else check_regions
    checked = None if problems else check(doc, which, problems)
    TRIED[f"{which}: malformed"] += 1
    assert all(p.file == which for p in problems)
    if checked is None:
        assert any(p.whole_file for p in problems) or which != "countries.geojson"
        assert problems
    else:
        for feature in checked["features"]:
            assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    json.dumps(checked, allow_nan=False)  # what is served is JSON a browser can parse
