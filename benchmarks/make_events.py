"""Write a realistic synthetic ACLED or UCDP GED export, to measure the importers at scale.

``python benchmarks/make_events.py --rows 1000000 --format acled --out /tmp/acled.csv``

Nothing in it is real: events are drawn around the places of ``geodata/events.csv``
(their coordinates and admin1 names, with jitter that grows with ``geo_precision``), on
dates from 1997 to mid-2025 weighted towards recent years. Actors mix names that match
the aliases of ``geodata/groups.csv`` (``Military Forces of Mali (2021-)``, ``JNIM: ...``)
and many that do not (ethnic and communal militias, civilians, protesters per country),
with ACLED's types, sub-types and interaction codes consistent with them. Notes vary in
length and hold commas, quotes and newlines; some tolls are missing. Columns are built
with numpy and pyarrow and written by ``pyarrow.csv``, so a million rows take seconds.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.data import GEODATA  # noqa: E402
from dashboard.domain import EVENT_TYPES  # noqa: E402
from dashboard.importers.acled import ACTOR_TYPES  # noqa: E402

COUNTRIES = {  # name: (iso3, ISO numeric, ACLED region)
    "Mali": ("MLI", 466, "Western Africa"),
    "Niger": ("NER", 562, "Western Africa"),
    "Mauritania": ("MRT", 478, "Western Africa"),
    "Algeria": ("DZA", 12, "Northern Africa"),
}
COUNTRY_LIST = np.array(list(COUNTRIES))
# ACLED's actor type codes (see ACTOR_TYPES) for the groups' kinds.
KIND_TYPES = {"state": 1, "rebel": 2, "jihadist": 2, "militia": 3}
KIND_TYPES.update({"foreign-state": 8, "international": 8, "mercenary": 8})
ETHNIC = ["Fulani", "Dogon", "Bambara", "Tuareg", "Arab", "Songhai", "Djerma", "Bozo", "Daoussahak"]
OTHER_ARMED = [
    "Katiba Macina",
    "Katiba Serma",
    "Ansaroul Islam",
    "Dan Na Ambassagou",
    "Dozo Militia",
    "Koglweogo Militia",
    "Military Forces of Burkina Faso (2022-)",
    "Unidentified Military Forces",
]
OUTLETS = [
    "Agence France Presse",
    "Reuters",
    "RFI",
    "Studio Tamani",
    "Le Republicain (Mali)",
    "Menastream",
    "Twitter",
    "Sahel Intelligence",
    "Xinhua",
    "Jeune Afrique",
]
SCALES = ["National", "International", "Subnational", "New media", "Other-National"]
TYPE_WEIGHTS = {  # event type: (weight, sub-type weights in EVENT_TYPES order)
    "Battles": (30, [85, 5, 10]),
    "Violence against civilians": (30, [75, 23, 2]),
    "Explosions/Remote violence": (15, [30, 3, 15, 50, 2, 0]),
    "Protests": (12, [90, 8, 2]),
    "Riots": (5, [70, 30]),
    "Strategic developments": (8, [10, 25, 20, 10, 10, 10, 5, 10]),
}
TAILS = [
    "",
    "",
    " Fatalities unknown.",
    ' Locals described the attackers as "men on motorbikes", coming from the north.',
    " The army said it had 'neutralised' several assailants; the figure could not be checked.",
    "\nA second report, citing a local official, gave a higher toll.",
    ' According to a resident, "the market was closed, the town empty".'
    "\nShops stayed shut the next day.",
    " The assailants, numbering several dozen according to local sources, arrived at dawn,"
    " surrounded the village and set fire to granaries before withdrawing towards the border;"
    " the wounded were taken to the district hospital.",
    " Property, livestock and motorbikes were looted, and several houses burned, in the area.",
    " Reports differ on the date (one says the day before).",
]


def load_places() -> list[tuple[str, str, str, float, float]]:
    """(country, admin1, location, lat, lon) of the single places of the shipped events."""
    seen: dict[tuple[str, str], list] = defaultdict(list)
    with open(GEODATA / "events.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if "(" not in row["location"] and row["country"] in COUNTRIES:
                key = (row["country"], row["location"])
                seen[key].append((row["admin1"], float(row["latitude"]), float(row["longitude"])))
    return [
        (
            country,
            rows[0][0],
            location,
            np.mean([r[1] for r in rows]),
            np.mean([r[2] for r in rows]),
        )
        for (country, location), rows in sorted(seen.items())
    ]


def country_index(places) -> np.ndarray:
    """The index in ``COUNTRY_LIST`` of each place's country."""
    return np.array([list(COUNTRIES).index(p[0]) for p in places])


def load_group_actors() -> list[tuple[str, int, str]]:
    """ACLED-style aliases of the shipped groups (with years, a colon or in capitals),
    their ACLED actor type, and the country a state group belongs to ("" for others)."""
    out = []
    with open(GEODATA / "groups.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            home = row["id"].capitalize() if row["kind"] == "state" else ""
            for alias in row["aliases"].split("|"):
                if "(" in alias or ":" in alias or alias == alias.upper():
                    out.append((alias, KIND_TYPES[row["kind"]], home))
    return out


def pick(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def strings(values: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(idx))


def join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def draw_dates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days since 1970 from 1997 to mid-2025, more of them in recent years."""
    years = np.arange(1997, 2026)
    year = years[pick(rng, n, np.exp(0.18 * (years - 1997)))]
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    length = np.where(year == 2025, 181, 365)
    return first + rng.integers(0, length)


def draw_common(rng: np.random.Generator, n: int):
    """Places, dates, precisions and coordinates shared by both formats."""
    places = load_places()
    where = pick(rng, n, np.ones(len(places)))
    geo = 1 + pick(rng, n, [70, 25, 5])
    spread = np.array([0.0, 0.02, 0.1, 0.4])[geo]
    lat = np.round(np.array([p[3] for p in places])[where] + rng.normal(0, 1, n) * spread, 4)
    lon = np.round(np.array([p[4] for p in places])[where] + rng.normal(0, 1, n) * spread, 4)
    return places, where, draw_dates(rng, n), geo, lat, lon


def actor_pools(country: str, group_actors) -> dict[str, list[tuple[str, int]]]:
    armed = [(name, code) for name, code, home in group_actors if home in ("", country)]
    armed += [(f"Unidentified Armed Group ({country})", 3)]
    armed += [(f"{e} Ethnic Militia ({country})", 4) for e in ETHNIC]
    armed += [(f"Unidentified Communal Militia ({country})", 4)]
    armed += [(name, 1 if "Forces" in name else 2) for name in OTHER_ARMED]
    return {
        "armed": armed,
        "civilians": [(f"Civilians ({country})", 7)],
        "protesters": [(f"Protesters ({country})", 6)],
        "rioters": [(f"Rioters ({country})", 5)],
    }


def make_acled(n: int, seed: int, *, numeric: bool, layout: str, dates: str) -> pa.Table:
    rng = np.random.default_rng(seed)
    places, where, day, geo, lat, lon = draw_common(rng, n)
    types = list(TYPE_WEIGHTS)
    kind = pick(rng, n, [TYPE_WEIGHTS[t][0] for t in types])
    sub = np.zeros(n, dtype=np.int64)
    subs: list[str] = []
    for k, t in enumerate(types):
        mask = kind == k
        sub[mask] = len(subs) + pick(rng, int(mask.sum()), TYPE_WEIGHTS[t][1])
        subs += list(EVENT_TYPES[t])
    names: list[str] = []
    codes: list[int] = []
    index: dict[str, int] = {}

    def actor(name: str, code: int) -> int:
        if name not in index:
            index[name] = len(names)
            names.append(name)
            codes.append(code)
        return index[name]

    actor(" ", 0)  # index 0: no actor (blank once trimmed)
    a1, a2 = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    group_actors = load_group_actors()
    cidx = country_index(places)[where]
    country_of = COUNTRY_LIST[cidx]
    for country in COUNTRIES:
        pools = {
            role: np.array([actor(*a) for a in pool])
            for role, pool in actor_pools(country, group_actors).items()
        }
        for k, t in enumerate(types):
            mask = (country_of == country) & (kind == k)
            m = int(mask.sum())
            roles = {
                "Protests": ("protesters", None),
                "Riots": ("rioters", "civilians"),
                "Violence against civilians": ("armed", "civilians"),
            }.get(t, ("armed", "armed"))
            a1[mask] = rng.choice(pools[roles[0]], m)
            if roles[1]:
                other = rng.choice(pools[roles[1]], m)
                other[
                    rng.random(m) < (0.5 if t in ("Riots", "Strategic developments") else 0.05)
                ] = 0
                a2[mask] = other
    names[0] = ""
    code_arr = np.array(codes)
    c1, c2 = code_arr[a1], code_arr[a2]
    lo, hi = np.minimum(c1, c2), np.maximum(c1, c2)
    pair = np.where(c2 == 0, c1 * 10, lo * 10 + hi)
    if numeric:
        inter1, inter2 = c1.astype(str), np.where(c2 == 0, "", c2.astype(str))
        interaction = pair.astype(str)
    else:
        label = {0: ""} | ACTOR_TYPES
        inter1 = np.array([label[c] for c in range(9)])[c1]
        inter2 = np.array([label[c] for c in range(9)])[c2]
        text = {a * 10 + b: f"{label[a]}-{label[b]}" for a in range(1, 9) for b in range(1, 9)}
        text |= {a * 10: f"{label[a]} only" for a in range(1, 9)}
        keys = np.array(sorted(text))
        interaction = np.array([text[k] for k in keys])[np.searchsorted(keys, pair)]

    stamp = pa.array(day.astype(np.int32), pa.int32()).cast(pa.date32()).cast(pa.timestamp("s"))
    long_date = pc.strftime(stamp, "%d %B %Y")
    event_date = {"iso": pc.strftime(stamp, "%Y-%m-%d"), "long": long_date}.get(
        dates, pc.strftime(stamp, "%d-%m-%Y")
    )
    kind_names = strings(types, kind)
    toll = np.where(rng.random(n) < 0.55, 0, rng.geometric(0.12, n))
    toll = np.where(kind_names.to_numpy(zero_copy_only=False) == "Protests", 0, toll)
    fatalities = pa.array(toll.astype(str))
    fatalities = pc.if_else(pa.array(rng.random(n) < 0.02), "", fatalities)
    iso3 = [COUNTRIES[c][0] for c in COUNTRY_LIST]
    serial = np.zeros(n, dtype=np.int64)
    for k in range(len(COUNTRY_LIST)):
        mask = cidx == k
        serial[mask] = np.arange(1, int(mask.sum()) + 1)
    event_id = join(strings(iso3, cidx), pa.array(serial.astype(str)))
    location = strings([p[2] for p in places], where)
    admin1 = strings([p[1] for p in places], where)
    actor1, actor2 = strings(names, a1), strings(names, a2)
    verbs = {
        "Battles": " clashed with ",
        "Violence against civilians": " attacked ",
        "Explosions/Remote violence": " struck ",
        "Protests": " demonstrated",
        "Riots": " rioted",
        "Strategic developments": " was reported near ",
    }
    verb = strings([verbs[t] for t in types], kind)
    notes = join(
        "On ",
        long_date,
        ", ",
        actor1,
        verb,
        actor2,
        " in ",
        location,
        " (",
        admin1,
        ").",
        strings(TAILS, pick(rng, n, [1] * len(TAILS))),
        strings(TAILS, pick(rng, n, [1] * len(TAILS))),
    )
    source = strings(OUTLETS, pick(rng, n, [1] * len(OUTLETS)))
    second = strings(OUTLETS, pick(rng, n, [1] * len(OUTLETS)))
    source = pc.if_else(pa.array(rng.random(n) < 0.3), join(source, "; ", second), source)
    region = strings([COUNTRIES[c][2] for c in COUNTRY_LIST], cidx)
    iso_num = strings([str(COUNTRIES[c][1]) for c in COUNTRY_LIST], cidx)
    sub_names = strings(subs, sub)
    disorder = strings(
        [
            "Political violence",
            "Political violence",
            "Political violence",
            "Demonstrations",
            "Demonstrations",
            "Strategic developments",
        ],
        kind,
    )
    columns = {
        "event_id_cnty": event_id,
        "event_date": event_date,
        "year": pa.array(
            (1970 + day.astype("datetime64[D]").astype("datetime64[Y]").astype(int)).astype(str)
        ),
        "time_precision": pa.array((1 + pick(rng, n, [85, 10, 5])).astype(str)),
        "disorder_type": disorder,
        "event_type": kind_names,
        "sub_event_type": sub_names,
        "actor1": actor1,
        "assoc_actor_1": pa.array([""] * n),
        "inter1": pa.array(inter1),
        "actor2": actor2,
        "assoc_actor_2": pa.array([""] * n),
        "inter2": pa.array(inter2),
        "interaction": pa.array(interaction),
        "civilian_targeting": pc.if_else(
            pc.match_substring(actor2, "Civilians"), "Civilian targeting", ""
        ),
        "iso": iso_num,
        "region": region,
        "country": pa.array(country_of),
        "admin1": admin1,
        "admin2": admin1,
        "admin3": pa.array([""] * n),
        "location": location,
        "latitude": pa.array(lat),
        "longitude": pa.array(lon),
        "geo_precision": pa.array(geo.astype(str)),
        "source": source,
        "source_scale": strings(SCALES, pick(rng, n, [1] * len(SCALES))),
        "notes": notes,
        "fatalities": fatalities,
        "tags": pc.if_else(pc.equal(kind_names, "Protests"), "crowd size=no report", ""),
        "timestamp": pa.array(rng.integers(1_600_000_000, 1_750_000_000, n).astype(str)),
    }
    if layout == "population":
        for name in ("population_1km", "population_2km", "population_5km", "population_best"):
            columns[name] = pa.array(rng.integers(0, 200_000, n).astype(str))
    if layout == "pre2023":
        for name in ("disorder_type", "civilian_targeting", "tags"):
            del columns[name]
        order = (
            ["data_id", "iso", "event_id_cnty", "event_id_no_cnty"]
            + [c for c in columns if c not in ("iso", "event_id_cnty")]
            + ["iso3"]
        )
        columns["data_id"] = pa.array(np.arange(1, n + 1).astype(str))
        columns["event_id_no_cnty"] = pa.array(serial.astype(str))
        columns["iso3"] = strings(iso3, cidx)
        columns = {c: columns[c] for c in order}
    return pa.table(columns)


UCDP_COLUMNS = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
).split(",")
UCDP_STATES = {"Mali": "Government of Mali", "Niger": "Government of Niger"}
UCDP_STATES |= {"Mauritania": "Government of Mauritania", "Algeria": "Government of Algeria"}
UCDP_ARMED = ["JNIM", "IS Sahel", "MNLA", "AQIM", "MUJAO", "Ansar Dine", "CMA", "GATIA"]
UCDP_ARMED += ["Katiba Macina", "Dan Na Ambassagou", "Fulani", "Dogon"]


def make_ucdp(n: int, seed: int, *, times: bool) -> pa.Table:
    rng = np.random.default_rng(seed)
    places, where, day, _, lat, lon = draw_common(rng, n)
    cidx = country_index(places)[where]
    country = COUNTRY_LIST[cidx]
    violence = 1 + pick(rng, n, [50, 20, 30])
    armed = np.array(UCDP_ARMED)
    side_a = np.where(
        violence == 1,
        np.array([UCDP_STATES[c] for c in COUNTRY_LIST])[cidx],
        armed[rng.integers(0, len(armed), n)],
    )
    other = armed[rng.integers(0, len(armed), n)]
    side_b = np.where(violence == 3, "Civilians", other)
    date_prec = 1 + pick(rng, n, [75, 12, 5, 6, 2])
    span = np.array([0, 0, 3, 6, 29, 364])[date_prec]
    where_prec = 1 + pick(rng, n, [45, 25, 10, 10, 6, 3, 1])
    best = np.where(rng.random(n) < 0.2, 0, rng.geometric(0.1, n))
    low = np.maximum(best - rng.integers(0, 3, n), 0)
    high = best + rng.integers(0, 10, n)

    def stamp(days: np.ndarray) -> pa.Array:
        ts = pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32()).cast(pa.timestamp("s"))
        return pc.strftime(ts, "%Y-%m-%d 00:00:00.000" if times else "%Y-%m-%d")

    year = (1970 + day.astype("datetime64[D]").astype("datetime64[Y]").astype(int)).astype(str)
    location = strings([p[2] for p in places], where)
    dyad = join(pa.array(side_a), " - ", pa.array(side_b))
    conflict = pc.if_else(pa.array(violence == 1), join(pa.array(country), ": Government"), dyad)
    outlet = strings(OUTLETS, pick(rng, n, [1] * len(OUTLETS)))
    text = {
        "id": pa.array(np.arange(100_000, 100_000 + n).astype(str)),
        "relid": join(
            strings([COUNTRIES[c][0] for c in COUNTRY_LIST], cidx),
            "-",
            pa.array(year),
            "-",
            pa.array(np.arange(n).astype(str)),
        ),
        "year": pa.array(year),
        "active_year": pa.array(np.where(rng.random(n) < 0.9, "1", "0")),
        "code_status": pa.array(["Clear"] * n),
        "type_of_violence": pa.array(violence.astype(str)),
        "conflict_name": conflict,
        "dyad_name": dyad,
        "side_a": pa.array(side_a),
        "side_b": pa.array(side_b),
        "number_of_sources": pa.array(rng.integers(1, 5, n).astype(str)),
        "source_article": join('"', outlet, ",", stamp(day), ",Attack near ", location, '"'),
        "source_office": outlet,
        "source_date": stamp(day),
        "source_headline": join("Attack near ", location, "; toll disputed"),
        "where_prec": pa.array(where_prec.astype(str)),
        "where_coordinates": join(location, " town"),
        "where_description": join("near ", location),
        "adm_1": join(strings([p[1] for p in places], where), " region"),
        "latitude": pa.array(lat),
        "longitude": pa.array(lon),
        "geom_wkt": join("POINT (", pa.array(lon.astype(str)), " ", pa.array(lat.astype(str)), ")"),
        "country": pa.array(country),
        "region": pa.array(["Africa"] * n),
        "event_clarity": pa.array(np.where(rng.random(n) < 0.9, "1", "2")),
        "date_prec": pa.array(date_prec.astype(str)),
        "date_start": stamp(day),
        "date_end": stamp(day + span),
        "deaths_a": pa.array((best // 3).astype(str)),
        "deaths_b": pa.array((best - best // 3).astype(str)),
        "deaths_civilians": pa.array(np.zeros(n, dtype=int).astype(str)),
        "deaths_unknown": pa.array(np.zeros(n, dtype=int).astype(str)),
        "best": pa.array(best.astype(str)),
        "high": pa.array(high.astype(str)),
        "low": pa.array(low.astype(str)),
    }
    blank = pa.array([""] * n)
    return pa.table({c: text.get(c, blank) for c in UCDP_COLUMNS})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--format", choices=("acled", "ucdp"), default="acled")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--layout", choices=("current", "population", "pre2023"), default="current")
    parser.add_argument("--inter", choices=("text", "numeric"), default="text")
    parser.add_argument("--dates", choices=("iso", "long", "dmy"), default="iso")
    parser.add_argument("--times", action="store_true", help="UCDP dates with a time of day")
    args = parser.parse_args()
    if args.format == "acled":
        table = make_acled(
            args.rows,
            args.seed,
            numeric=args.inter == "numeric",
            layout=args.layout,
            dates=args.dates,
        )
    else:
        table = make_ucdp(args.rows, args.seed, times=args.times)
    pv.write_csv(table, args.out, pv.WriteOptions(quoting_style="needed"))
    size = args.out.stat().st_size
    print(f"{args.out}: {table.num_rows:,} {args.format} rows, {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
