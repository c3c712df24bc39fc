"""A small estate with one person planted in many spellings, and a look-alike.

The person: 山田 太郎 (ヤマダ タロウ, Taro Yamada), born 1985-04-12, e-mail
taro.yamada@example.jp, phone 090-1234-5678, passport TK1234567. The
look-alike has the same name, another birth date, e-mail and phone. Filler
people make the columns classifiable by a sampled scan, as real tables are.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa

PERSON = {"name": "山田 太郎", "kana": "ヤマダ タロウ", "email": "taro.yamada@example.jp",
          "phone": "090-1234-5678", "birth_date": "1985-04-12", "passport": "TK1234567"}
LOOKALIKE = {"email": "t.yamada@other.example.jp", "phone": "080-9876-5432", "birth_date": "1990-01-01",
             "passport": "TZ7654321"}

SURNAMES = [("佐藤", "サトウ", "Sato"), ("鈴木", "スズキ", "Suzuki"), ("高橋", "タカハシ", "Takahashi"),
            ("田中", "タナカ", "Tanaka"), ("伊藤", "イトウ", "Ito"), ("渡辺", "ワタナベ", "Watanabe"),
            ("中村", "ナカムラ", "Nakamura"), ("小林", "コバヤシ", "Kobayashi")]
GIVEN = [("翔太", "ショウタ", "Shota"), ("大輔", "ダイスケ", "Daisuke"), ("健太", "ケンタ", "Kenta"),
         ("直樹", "ナオキ", "Naoki"), ("陽一", "ヨウイチ", "Yoichi")]
FILLER = 40


def filler(i: int) -> dict[str, str]:
    fam, giv = SURNAMES[i % len(SURNAMES)], GIVEN[i % len(GIVEN)]
    born = dt.date(1960, 1, 1) + dt.timedelta(days=397 * i + 11)
    return {"family": fam[0], "given": giv[0], "family_kana": fam[1], "given_kana": giv[1],
            "romaji": f"{giv[2]} {fam[2]}", "email": f"{giv[2].lower()}.{fam[2].lower()}{i}@example.com",
            "phone": f"090-{2000 + i:04d}-{(i * 7919) % 10000:04d}", "birth": born.isoformat(),
            "passport": f"TK{1000000 + i * 7:07d}"}


CUSTOMERS = sa.Table(
    "customers", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("family_name", sa.String(40)), sa.Column("given_name", sa.String(40)),
    sa.Column("family_name_kana", sa.String(40)), sa.Column("given_name_kana", sa.String(40)),
    sa.Column("email", sa.String(120)), sa.Column("phone", sa.String(40)), sa.Column("birth_date", sa.String(20)),
    sa.Column("note", sa.String(200)),
)
BOOKINGS = sa.Table(
    "bookings", sa.MetaData(),
    sa.Column("booking_id", sa.Integer, primary_key=True),
    sa.Column("passenger_name", sa.String(80)), sa.Column("passport_number", sa.String(20)),
    sa.Column("birth_date", sa.Date), sa.Column("phone", sa.String(40)), sa.Column("destination", sa.String(40)),
)
MEMBERS = sa.Table(
    "members", sa.MetaData(),
    sa.Column("member_id", sa.Integer, primary_key=True),
    sa.Column("full_name", sa.String(80)), sa.Column("email", sa.String(120)), sa.Column("tel", sa.String(40)),
    sa.Column("date_of_birth", sa.String(20)),
)


def fill_customers(url: str) -> None:
    """SQLite: kanji name split over two columns, upper-case e-mail, phone without hyphens."""
    rows = [{"id": i + 1, "family_name": f["family"], "given_name": f["given"], "family_name_kana": f["family_kana"],
             "given_name_kana": f["given_kana"], "email": f["email"], "phone": f["phone"], "birth_date": f["birth"],
             "note": "regular"} for i, f in enumerate(map(filler, range(FILLER)))]
    rows.append({"id": 1001, "family_name": "山田", "given_name": "太郎", "family_name_kana": "ヤマダ",
                 "given_name_kana": "タロウ", "email": "TARO.YAMADA@EXAMPLE.JP", "phone": "09012345678",
                 "birth_date": "1985/04/12", "note": "planted"})
    rows.append({"id": 1002, "family_name": "山田", "given_name": "太郎", "family_name_kana": "ヤマダ",
                 "given_name_kana": "タロウ", "email": LOOKALIKE["email"], "phone": LOOKALIKE["phone"],
                 "birth_date": LOOKALIKE["birth_date"], "note": "look-alike"})
    _load(url, CUSTOMERS, rows)


def fill_bookings(url: str) -> None:
    """PostgreSQL: romaji with a Hepburn long vowel, a DATE column, an international phone."""
    rows = [{"booking_id": i + 1, "passenger_name": f["romaji"].upper(), "passport_number": f["passport"],
             "birth_date": dt.date.fromisoformat(f["birth"]), "phone": f["phone"], "destination": "HNL"}
            for i, f in enumerate(map(filler, range(FILLER)))]
    rows.append({"booking_id": 2001, "passenger_name": "YAMADA TAROU", "passport_number": "TK1234567",
                 "birth_date": dt.date(1985, 4, 12), "phone": "+81 90-1234-5678", "destination": "HNL"})
    rows.append({"booking_id": 2002, "passenger_name": "YAMADA TARO", "passport_number": LOOKALIKE["passport"],
                 "birth_date": dt.date(1990, 1, 1), "phone": LOOKALIKE["phone"], "destination": "LAX"})
    _load(url, BOOKINGS, rows)


def fill_members(url: str) -> None:
    """MariaDB: full name with an ideographic space, full-width phone digits, 和暦 birth date."""
    rows = [{"member_id": i + 1, "full_name": f"{f['family']} {f['given']}", "email": f["email"], "tel": f["phone"],
             "date_of_birth": f["birth"]} for i, f in enumerate(map(filler, range(FILLER)))]
    rows.append({"member_id": 3001, "full_name": "山田\u3000太郎", "email": "Taro.Yamada@example.jp",
                 "tel": "０９０－１２３４－５６７８", "date_of_birth": "昭和60年4月12日"})
    rows.append({"member_id": 3002, "full_name": "山田 太郎", "email": LOOKALIKE["email"], "tel": LOOKALIKE["phone"],
                 "date_of_birth": "平成2年1月1日"})
    _load(url, MEMBERS, rows)


def _load(url: str, table: sa.Table, rows: list[dict]) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), rows)
    engine.dispose()


def write_files(folder: Path) -> dict[str, Path]:
    """A CP932 CSV (kana, 和暦), a JSONL (romaji, mixed case) and a log (e-mail, hyphen-less phone)."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_lines = ["氏名,氏名カナ,電話番号,生年月日"]
    for f in map(filler, range(FILLER)):
        csv_lines.append(f"{f['family']} {f['given']},{f['family_kana']} {f['given_kana']},{f['phone']},{f['birth']}")
    csv_lines.append("山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,090-1234-5678,昭和60年4月12日")
    csv_lines.append("山田 太郎,ヤマダ タロウ,080-9876-5432,平成2年1月1日")
    csv_path = folder / "duty_free.csv"
    csv_path.write_bytes(("\r\n".join(csv_lines) + "\r\n").encode("cp932"))
    events = [{"user": {"email": f["email"], "name": f["romaji"]}, "event": "login"} for f in map(filler, range(FILLER))]
    events.insert(17, {"user": {"email": "Taro.Yamada@Example.JP", "name": "Taro Yamada"}, "event": "login"})
    events.append({"user": {"email": LOOKALIKE["email"], "name": "Taro Yamada"}, "event": "login"})
    jsonl_path = folder / "app_events.jsonl"
    jsonl_path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n", encoding="utf-8")
    log_lines = [f"2024-05-01T10:{i % 60:02d}:00 INFO booking confirmed email={f['email']} tel={f['phone']}"
                 for i, f in enumerate(map(filler, range(FILLER)))]
    log_lines.insert(5, "2024-05-01T09:00:00 INFO booking confirmed email=ｔａｒｏ.ｙａｍａｄａ@example.jp tel=09012345678")
    log_lines.append(f"2024-05-01T11:00:00 INFO booking confirmed email={LOOKALIKE['email']} tel={LOOKALIKE['phone']}")
    log_path = folder / "app.log"
    log_path.write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    return {"csv": csv_path, "jsonl": jsonl_path, "log": log_path}
