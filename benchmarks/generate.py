"""Generate a synthetic estate with planted PII, fast enough for 10M rows.

    python benchmarks/generate.py --rows 1000000 --out /tmp/estate-1m

Why a generator and not a fixture: speed targets (cells/s, MB/s, peak memory)
only mean something on realistic volumes, and an estate of 10M rows is too
big to keep in git. Everything is derived from one NumPy `Generator` seed, so
the same arguments always give byte-identical files, and every string column
is built with vectorised NumPy / Arrow compute (no Python loop per row): 1M
rows take a couple of seconds.

What is written to `--out` (the `--formats` flag picks a subset):

- `bookings.parquet` - 8 columns. Planted PII: `traveler` (PERSON, romaji or
  kanji), `email`, `phone` (Japanese mobile), `card_number` (Luhn-valid PAN
  with real Visa / Mastercard / JCB prefixes), `passport_no` (Japanese shape),
  `jmb_no` (9 digits, recognisable only through its field-name hint). Not PII:
  `booking_id`; `notes` is free text, mostly harmless, with a passport number,
  a phone number or an e-mail address in a few per cent of rows.
- `bookings.csv` - the same rows.
- `crm.db` - the same rows as the SQLite table `bookings`.
- `app.log` - N lines of an application log; about one in eight holds PII.
- `estate.json` - what was planted where (the benchmark checks findings
  against it).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

CHUNK_ROWS = 1_000_000
FORMATS = ("parquet", "csv", "sqlite", "log")

SURNAMES_ROMAJI = ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
                   "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
                   "Kimura", "Hayashi", "Shimizu", "Abe", "Nishimura", "Mori", "Ikeda", "Hashimoto"]
GIVEN_ROMAJI = ["Haruto", "Yuto", "Sota", "Yui", "Hina", "Mei", "Riko", "Ren", "Minato", "Aoi", "Yoichi",
                "Haruka", "Nanami", "Miki", "Takeshi", "Kenji", "Akiko", "Yoko", "Daiki", "Sakura"]
SURNAMES_KANJI = ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤", "吉田",
                  "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "阿部"]
GIVEN_KANJI = ["陽翔", "悠真", "蒼", "結衣", "陽菜", "芽依", "莉子", "蓮", "湊", "葵", "陽一", "春香", "七海",
               "美紀", "健", "健二", "明子", "洋子", "大輝", "さくら"]
PASSPORT_SERIES = ["TK", "TZ", "TR", "TH", "TS", "TE", "MU", "MZ", "RE"]
HARMLESS_NOTES = ["window seat please", "aisle seat", "late check-in expected", "連絡済み", "早割適用",
                  "upgrade requested", "group booking, see agent", "paid at counter", "領収書不要",
                  "returning customer", "no remarks", "hotel transfer included"]

# Which fields (and log) carry which entity: what a scan must find.
PLANTED_COLUMNS = {
    "traveler": "PERSON",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "card_number": "CREDIT_CARD",
    "passport_no": "PASSPORT_NUMBER",
    "jmb_no": "JMB_NUMBER",
}
NOTES_ENTITIES = ("PASSPORT_NUMBER", "PHONE_NUMBER", "EMAIL_ADDRESS")
LOG_ENTITIES = ("PASSPORT_NUMBER", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD")
COLUMNS = ["booking_id", "traveler", "email", "phone", "card_number", "passport_no", "jmb_no", "notes"]


# --- vectorised string helpers ---------------------------------------------------------
def fixed_width(chars: np.ndarray) -> pa.StringArray:
    """An (n, k) array of ASCII codes -> n Arrow strings of length k, without a Python loop."""
    n, k = chars.shape
    data = pa.py_buffer(np.ascontiguousarray(chars, dtype=np.uint8).tobytes())
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * k).tobytes())
    return pa.StringArray.from_buffers(n, offsets, data)


def digits(rng: np.random.Generator, n: int, k: int, low: int = 0) -> np.ndarray:
    """(n, k) ASCII digit codes, each digit in [low, 9]."""
    return (rng.integers(low, 10, size=(n, k), dtype=np.uint8) + ord("0")).astype(np.uint8)


def concat(*parts: pa.Array | str) -> pa.Array:
    """Row-wise string concatenation of arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, "")


def pick(rng: np.random.Generator, n: int, choices: list[str]) -> pa.Array:
    return pa.array(choices, type=pa.string()).take(pa.array(rng.integers(0, len(choices), n)))


def luhn_pans(rng: np.random.Generator, n: int) -> pa.StringArray:
    """n Luhn-valid 16-digit PANs with Visa (4), Mastercard (51-55) and JCB (3528-3589) prefixes."""
    d = rng.integers(0, 10, size=(n, 16), dtype=np.int64)
    brand = rng.integers(0, 3, n)
    visa, mc, jcb = brand == 0, brand == 1, brand == 2
    d[visa, 0] = 4
    d[mc, 0] = 5
    d[mc, 1] = rng.integers(1, 6, int(mc.sum()))
    jcb_iin = rng.integers(28, 90, int(jcb.sum()))
    d[jcb, 0], d[jcb, 1], d[jcb, 2], d[jcb, 3] = 3, 5, jcb_iin // 10, jcb_iin % 10
    payload = d[:, :15]
    doubled = np.zeros(15, dtype=bool)
    doubled[14::-2] = True  # rightmost payload digit is doubled once the check digit is appended
    weighted = np.where(doubled, payload * 2, payload)
    weighted = np.where(weighted > 9, weighted - 9, weighted)
    d[:, 15] = (10 - weighted.sum(axis=1) % 10) % 10
    return fixed_width((d + ord("0")).astype(np.uint8))


def luhn_valid(pan: str) -> bool:
    """Reference check used by the tests of this module (python-stdnum is the project's reference)."""
    from stdnum import luhn

    return luhn.is_valid(pan)


# --- the estate ----------------------------------------------------------------------------
@dataclass
class Chunk:
    table: pa.Table
    log_lines: pa.Array  # each line ends with "\n"


def people(rng: np.random.Generator, n: int) -> tuple[pa.Array, pa.Array]:
    """(traveler name, e-mail) columns: 70% romaji "Given Surname", 30% kanji "姓 名"."""
    gi = pa.array(rng.integers(0, len(GIVEN_ROMAJI), n))
    si = pa.array(rng.integers(0, len(SURNAMES_ROMAJI), n))
    given = pa.array(GIVEN_ROMAJI).take(gi)
    surname = pa.array(SURNAMES_ROMAJI).take(si)
    romaji = concat(given, " ", surname)
    kanji = concat(pick(rng, n, SURNAMES_KANJI), " ", pick(rng, n, GIVEN_KANJI))
    is_kanji = pa.array(rng.random(n) < 0.3)
    name = pc.if_else(is_kanji, kanji, romaji)
    email = concat(pc.utf8_lower(given), ".", pc.utf8_lower(surname), fixed_width(digits(rng, n, 3)),
                   "@example.com")
    return name, email


def phones(rng: np.random.Generator, n: int) -> pa.Array:
    """Japanese mobile numbers 070/080/090-XXXX-XXXX."""
    chars = np.full((n, 13), ord("-"), dtype=np.uint8)
    chars[:, 0] = ord("0")
    chars[:, 1] = rng.choice(np.frombuffer(b"789", dtype=np.uint8), n)
    chars[:, 2] = ord("0")
    chars[:, 4:8] = digits(rng, n, 4)
    chars[:, 9:13] = digits(rng, n, 4)
    return fixed_width(chars)


def passports(rng: np.random.Generator, n: int) -> pa.Array:
    return concat(pick(rng, n, PASSPORT_SERIES), fixed_width(digits(rng, n, 7)))


def make_chunk(rng: np.random.Generator, start: int, n: int) -> Chunk:
    """Rows [start, start + n) of the estate."""
    seq = np.arange(start + 1, start + n + 1, dtype=np.int64)
    year = pc.cast(pa.array(2022 + seq % 5), pa.string())
    booking_id = concat("JPK", year, pc.utf8_lpad(pc.cast(pa.array(seq % 1_000_000), pa.string()), 6, "0"))
    name, email = people(rng, n)
    phone = phones(rng, n)
    pan = luhn_pans(rng, n)
    passport = passports(rng, n)
    jmb = fixed_width(digits(rng, n, 9, low=0))

    # notes: mostly harmless; 3% passport, 3% phone, 2% e-mail written inside a sentence
    kind = rng.choice(4, size=n, p=[0.92, 0.03, 0.03, 0.02])
    notes = pc.choose(
        pa.array(kind),
        pick(rng, n, HARMLESS_NOTES),
        concat("パスポート番号 ", passports(rng, n), " 確認済み"),
        concat("please call back on ", phones(rng, n), " after 6pm"),
        concat("receipt to ", email, " requested"),
    )
    table = pa.table(
        [booking_id, name, email, phone, pan, passport, jmb, notes], names=COLUMNS
    )
    return Chunk(table, log_lines(rng, n, booking_id, email, phone, pan, passport))


def log_lines(rng: np.random.Generator, n: int, booking_id: pa.Array, email: pa.Array, phone: pa.Array,
              pan: pa.Array, passport: pa.Array) -> pa.Array:
    """An app log: timestamp, level, message; about one line in eight carries PII."""
    ts = np.full((n, 20), 0, dtype=np.uint8)
    ts[:, :] = np.frombuffer(b"2026-10-00T00:00:00Z", dtype=np.uint8)
    day = rng.integers(1, 29, n)
    hour, minute, second = rng.integers(0, 24, n), rng.integers(0, 60, n), rng.integers(0, 60, n)
    for col, values in ((8, day), (11, hour), (14, minute), (17, second)):
        ts[:, col] = ord("0") + values // 10
        ts[:, col + 1] = ord("0") + values % 10
    stamp = fixed_width(ts)
    amount = pc.cast(pa.array(rng.integers(1000, 999_999, n)), pa.string())
    flight = fixed_width(digits(rng, n, 3))
    latency = pc.cast(pa.array(rng.integers(1, 900, n)), pa.string())
    kind = rng.choice(6, size=n, p=[0.55, 0.32, 0.04, 0.03, 0.03, 0.03])
    message = pc.choose(
        pa.array(kind),
        concat(" INFO booking ", booking_id, " confirmed flight=JL", flight, " amount=", amount),
        concat(" DEBUG cache hit key=fare:", flight, " latency_ms=", latency),
        concat(" WARN passport check failed number=", passport),
        concat(" INFO receipt mailed to ", email),
        concat(" INFO sms sent to ", phone),
        concat(" ERROR payment declined card=", pan),
    )
    return concat(stamp, message, "\n")


def iter_chunks(rows: int, seed: int, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """The estate in chunks; chunk i uses its own child seed so output does not depend on chunking order."""
    children = np.random.SeedSequence(seed).spawn((rows + chunk_rows - 1) // chunk_rows)
    for i, child in enumerate(children):
        start = i * chunk_rows
        yield make_chunk(np.random.default_rng(child), start, min(chunk_rows, rows - start))


def write_log_lines(fh, lines: pa.Array) -> int:
    """Write lines (each already ending in a newline) straight from the Arrow data buffer."""
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    data = lines.buffers()[2]
    blob = data[int(offsets[0]) : int(offsets[-1])]
    fh.write(memoryview(blob))
    return len(blob)


def generate(out: Path, rows: int, seed: int = 42, formats: tuple[str, ...] = FORMATS,
             chunk_rows: int = CHUNK_ROWS) -> dict:
    """Write the estate to `out` and return the manifest (also written as estate.json)."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    parquet = pq.ParquetWriter(out / "bookings.parquet", schema) if "parquet" in formats else None
    csv = pacsv.CSVWriter(out / "bookings.csv", schema) if "csv" in formats else None
    db = None
    if "sqlite" in formats:
        (out / "crm.db").unlink(missing_ok=True)
        db = sqlite3.connect(out / "crm.db")
        db.execute(f"CREATE TABLE bookings ({', '.join(c + ' TEXT' for c in COLUMNS)})")
    log = open(out / "app.log", "wb") if "log" in formats else None  # noqa: SIM115 - closed below
    try:
        for chunk in iter_chunks(rows, seed, chunk_rows):
            if parquet:
                parquet.write_table(chunk.table, row_group_size=256 * 1024)
            if csv:
                csv.write_table(chunk.table)
            if db:
                placeholders = ", ".join("?" * len(COLUMNS))
                for batch in chunk.table.to_batches(max_chunksize=100_000):
                    columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
                    db.executemany(f"INSERT INTO bookings VALUES ({placeholders})", zip(*columns, strict=True))
            if log:
                write_log_lines(log, chunk.log_lines)
    finally:
        for closer in (parquet, csv, log):
            if closer is not None:
                closer.close()
        if db is not None:
            db.commit()
            db.close()
    manifest = {
        "rows": rows,
        "seed": seed,
        "formats": list(formats),
        "columns": COLUMNS,
        "planted_columns": PLANTED_COLUMNS,
        "notes_entities": list(NOTES_ENTITIES),
        "log_entities": list(LOG_ENTITIES),
        "files": {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.name != "estate.json"},
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "estate.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma-separated subset of {FORMATS}")
    args = parser.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    manifest = generate(args.out, args.rows, args.seed, formats)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
