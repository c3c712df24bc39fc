"""Generate the demo estate of a small Japanese travel company (run: python sample_data/generate.py).

Everything here is invented: names are common Japanese names combined at random,
e-mail domains are reserved example domains, card numbers are random Luhn-valid
numbers in real issuer ranges (JCB, Visa, Mastercard, Amex), passport numbers
follow the Japanese `TK1234567` shape, My Numbers carry a valid check digit.
The output is deterministic (fixed seed, fixed reference date), so it can be
committed and tests can rely on it.

The estate is built so that every violation kind of piiscan's policy engine
occurs at least once, and some stores are clean (see configs/inventory.yaml):

- crm.sqlite
  customers            identity/contact/JMB for travel + marketing; some inactive > 5 years (retention)
  bookings             passport numbers kept long after return (retention), special-care notes (allowed)
  payments             clear PANs (clear_pan), CVVs (prohibited_data), masked PANs (pass)
  marketing_contacts   passport numbers in a marketing table (purpose_not_permitted)
  support_tickets      card numbers pasted into ticket text (purpose_not_permitted, clear_pan)
  legacy_import_2019   undeclared table with My Numbers (shadow_data, prohibited_data)
- exports/jal_group_share_2025-10.csv     shared use with the JAL Group: clean
- exports/duty_free_2025-10.csv           CP932, Japanese headers; birth dates and phones
                                          sent to duty-free shops (recipient_excess)
- analytics/sales_summary.xlsx            clean
- warehouse/trip_facts.parquet            pseudonymous facts: clean
- events/app_events.jsonl                 an undeclared `payload.contact_phone` field (shadow_data)
- logs/app.log                            not in the inventory; track data and a PAN (shadow_data,
                                          prohibited_data, clear_pan)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sqlite3
from pathlib import Path

from stdnum import luhn
from stdnum.jp import in_ as my_number

SEED = 20251101
REFERENCE = dt.date(2025, 11, 1)  # "today" of the estate
HERE = Path(__file__).resolve().parent

# (kanji, kana, romaji)
FAMILY = [
    ("佐藤", "サトウ", "Sato"), ("鈴木", "スズキ", "Suzuki"), ("高橋", "タカハシ", "Takahashi"),
    ("田中", "タナカ", "Tanaka"), ("伊藤", "イトウ", "Ito"), ("渡辺", "ワタナベ", "Watanabe"),
    ("山本", "ヤマモト", "Yamamoto"), ("中村", "ナカムラ", "Nakamura"), ("小林", "コバヤシ", "Kobayashi"),
    ("加藤", "カトウ", "Kato"), ("吉田", "ヨシダ", "Yoshida"), ("山田", "ヤマダ", "Yamada"),
    ("佐々木", "ササキ", "Sasaki"), ("山口", "ヤマグチ", "Yamaguchi"), ("松本", "マツモト", "Matsumoto"),
    ("井上", "イノウエ", "Inoue"), ("木村", "キムラ", "Kimura"), ("林", "ハヤシ", "Hayashi"),
    ("斎藤", "サイトウ", "Saito"), ("清水", "シミズ", "Shimizu"), ("森", "モリ", "Mori"),
    ("池田", "イケダ", "Ikeda"), ("橋本", "ハシモト", "Hashimoto"), ("石川", "イシカワ", "Ishikawa"),
]
GIVEN = [
    ("翔太", "ショウタ", "Shota", "M"), ("大輔", "ダイスケ", "Daisuke", "M"), ("健一", "ケンイチ", "Kenichi", "M"),
    ("拓也", "タクヤ", "Takuya", "M"), ("直樹", "ナオキ", "Naoki", "M"), ("誠", "マコト", "Makoto", "M"),
    ("蓮", "レン", "Ren", "M"), ("悠真", "ユウマ", "Yuma", "M"), ("浩二", "コウジ", "Koji", "M"),
    ("陽子", "ヨウコ", "Yoko", "F"), ("美咲", "ミサキ", "Misaki", "F"), ("由美", "ユミ", "Yumi", "F"),
    ("恵子", "ケイコ", "Keiko", "F"), ("さくら", "サクラ", "Sakura", "F"), ("結衣", "ユイ", "Yui", "F"),
    ("花子", "ハナコ", "Hanako", "F"), ("真由美", "マユミ", "Mayumi", "F"), ("愛", "アイ", "Ai", "F"),
]
PLACES = [
    ("東京都", "品川区東品川", "140-0002"), ("東京都", "世田谷区三軒茶屋", "154-0024"),
    ("神奈川県", "横浜市中区山下町", "231-0023"), ("大阪府", "大阪市北区梅田", "530-0001"),
    ("愛知県", "名古屋市中村区名駅", "450-0002"), ("福岡県", "福岡市博多区博多駅前", "812-0011"),
    ("北海道", "札幌市中央区北一条西", "060-0001"), ("京都府", "京都市下京区烏丸通", "600-8216"),
    ("沖縄県", "那覇市久茂地", "900-0015"), ("宮城県", "仙台市青葉区中央", "980-0021"),
]
DESTINATIONS = [
    ("HNL", "Honolulu", "JL784"), ("CDG", "Paris", "JL045"), ("LHR", "London", "JL043"),
    ("TPE", "Taipei", "JL809"), ("ICN", "Seoul", "JL093"), ("BKK", "Bangkok", "JL031"),
    ("SIN", "Singapore", "JL037"), ("OKA", "Okinawa", "JL903"), ("CTS", "Sapporo", "JL503"),
    ("GUM", "Guam", "JL941"), ("LAX", "Los Angeles", "JL062"), ("HEL", "Helsinki", "JL047"),
]
SPECIAL_CARE = [
    "車椅子の手配を希望（空港内）", "介助者が同行します", "糖尿病のため機内食は糖尿病食を希望",
    "人工透析が必要。現地の透析施設の手配をお願いします", "視覚障害あり、盲導犬同伴",
    "Wheelchair needed at arrival (WCHR)", "妊娠28週のため座席は通路側を希望", "重度の食物アレルギー（そば・落花生）",
]
# issuer prefixes (IIN) and card length
CARD_IINS = [("3528", 16), ("3530", 16), ("3566", 16), ("4", 16), ("51", 16), ("55", 16), ("37", 15)]
PASSPORT_PREFIXES = ["TK", "TR", "TS", "TZ", "MU", "MZ"]


class Faker:
    """Just enough fake-data helpers, all drawing on one seeded Random."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def person(self) -> dict[str, str]:
        fam, giv = self.rng.choice(FAMILY), self.rng.choice(GIVEN)
        return {
            "family_name": fam[0], "given_name": giv[0], "family_name_kana": fam[1], "given_name_kana": giv[1],
            "name_romaji": f"{giv[2]} {fam[2]}", "romaji_upper": f"{fam[2].upper()}/{giv[2].upper()}",
            "gender": giv[3],
        }

    def date(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def phone(self) -> str:
        if self.rng.random() < 0.7:
            return f"0{self.rng.choice('789')}0-{self.rng.randrange(1000, 9999)}-{self.rng.randrange(1000, 9999)}"
        return f"03-{self.rng.randrange(1000, 9999)}-{self.rng.randrange(1000, 9999)}"

    def email(self, romaji: str) -> str:
        given, family = romaji.lower().split()
        domain = self.rng.choice(["example.jp", "example.com", "example.ne.jp"])
        return f"{given}.{family}{self.rng.randrange(1, 999)}@{domain}"

    def address(self) -> tuple[str, str]:
        pref, town, postal = self.rng.choice(PLACES)
        return postal, f"{pref}{town}{self.rng.randrange(1, 6)}-{self.rng.randrange(1, 30)}-{self.rng.randrange(1, 20)}"

    def pan(self) -> str:
        iin, length = self.rng.choice(CARD_IINS)
        body = iin + "".join(str(self.rng.randrange(10)) for _ in range(length - len(iin) - 1))
        return body + luhn.calc_check_digit(body)

    def passport(self) -> str:
        return f"{self.rng.choice(PASSPORT_PREFIXES)}{self.rng.randrange(10**6, 10**7):07d}"

    def jmb(self) -> str:
        return f"{self.rng.randrange(100_000_000, 999_999_999)}"

    def my_number(self) -> str:
        body = f"{self.rng.randrange(10**10, 10**11):011d}"
        return body + my_number.calc_check_digit(body)


def masked(pan: str) -> str:
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]


def build_crm(fake: Faker, path: Path) -> tuple[list[dict], list[dict]]:
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, family_name TEXT, given_name TEXT,
          family_name_kana TEXT, given_name_kana TEXT, name_romaji TEXT, birth_date DATE, gender TEXT,
          email TEXT, phone TEXT, postal_code TEXT, address TEXT, jmb_number TEXT,
          created_at TIMESTAMP, last_activity_at TIMESTAMP);
        CREATE TABLE bookings (booking_id TEXT PRIMARY KEY, customer_id INTEGER REFERENCES customers,
          destination TEXT, flight_number TEXT, departure_date DATE, return_date DATE,
          passport_number TEXT, special_requests TEXT, created_at TIMESTAMP);
        CREATE TABLE payments (payment_id INTEGER PRIMARY KEY, booking_id TEXT REFERENCES bookings,
          cardholder_name TEXT, card_number TEXT, masked_pan TEXT, card_expiry TEXT, cvv TEXT,
          amount_jpy INTEGER, paid_at TIMESTAMP);
        CREATE TABLE marketing_contacts (contact_id INTEGER PRIMARY KEY, customer_id INTEGER,
          full_name TEXT, email TEXT, jmb_number TEXT, passport_number TEXT, segment TEXT,
          consent_at DATE, last_contacted_at DATE);
        CREATE TABLE support_tickets (ticket_id INTEGER PRIMARY KEY, customer_id INTEGER, opened_at TIMESTAMP,
          channel TEXT, subject TEXT, body TEXT);
        CREATE TABLE legacy_import_2019 (row_id INTEGER PRIMARY KEY, shimei TEXT, kojin_bango TEXT,
          imported_at TEXT);
        """
    )
    customers, bookings = [], []
    for cid in range(1, 1201):
        p = fake.person()
        postal, address = fake.address()
        created = fake.date(dt.date(2016, 1, 1), dt.date(2025, 6, 30))
        last = fake.date(created, REFERENCE - dt.timedelta(days=1))
        row = {
            "customer_id": cid, **{k: p[k] for k in ("family_name", "given_name", "family_name_kana", "given_name_kana",
                                                       "name_romaji", "gender")},
            "birth_date": fake.date(dt.date(1945, 1, 1), dt.date(2005, 12, 31)).isoformat(),
            "email": fake.email(p["name_romaji"]), "phone": fake.phone(), "postal_code": postal, "address": address,
            "jmb_number": fake.jmb() if fake.rng.random() < 0.6 else None,
            "created_at": f"{created.isoformat()} 10:{cid % 60:02d}:00", "last_activity_at": f"{last.isoformat()} 09:30:00",
        }
        customers.append(row)
    db.executemany(
        f"INSERT INTO customers VALUES ({','.join('?' * 15)})",
        [tuple(c[k] for k in ("customer_id", "family_name", "given_name", "family_name_kana", "given_name_kana",
                              "name_romaji", "birth_date", "gender", "email", "phone", "postal_code", "address",
                              "jmb_number", "created_at", "last_activity_at")) for c in customers],
    )
    payments = []
    for n in range(1, 1801):
        cust = fake.rng.choice(customers)
        code, _city, flight = fake.rng.choice(DESTINATIONS)
        dep = fake.date(dt.date(2021, 1, 1), dt.date(2026, 3, 31))
        ret = dep + dt.timedelta(days=fake.rng.randrange(2, 15))
        booking = {
            "booking_id": f"JP{dep.year % 100:02d}-{n:06d}", "customer_id": cust["customer_id"], "destination": code,
            "flight_number": flight, "departure_date": dep.isoformat(), "return_date": ret.isoformat(),
            "passport_number": fake.passport() if code not in ("OKA", "CTS") else None,
            "special_requests": fake.rng.choice(SPECIAL_CARE) if fake.rng.random() < 0.08 else None,
            "created_at": f"{(dep - dt.timedelta(days=fake.rng.randrange(14, 120))).isoformat()} 14:00:00",
        }
        bookings.append(booking)
        pan = fake.pan()
        paid = booking["created_at"]
        payments.append((n, booking["booking_id"], cust["name_romaji"].upper(), pan, masked(pan),
                         f"{fake.rng.randrange(1, 13):02d}/{fake.rng.randrange(26, 31)}",
                         f"{fake.rng.randrange(0, 10 ** (4 if pan.startswith('37') else 3)):0{4 if pan.startswith('37') else 3}d}",
                         fake.rng.randrange(40, 900) * 1000, paid))
    db.executemany(f"INSERT INTO bookings VALUES ({','.join('?' * 9)})", [tuple(b.values()) for b in bookings])
    db.executemany(f"INSERT INTO payments VALUES ({','.join('?' * 9)})", payments)

    contacts = []
    for n, cust in enumerate(fake.rng.sample(customers, 600), start=1):
        consent = fake.date(dt.date(2019, 1, 1), dt.date(2025, 10, 1))
        passport = fake.passport() if fake.rng.random() < 0.35 else None  # copied in by a campaign import
        contacts.append((n, cust["customer_id"], f"{cust['family_name']} {cust['given_name']}", cust["email"],
                         cust["jmb_number"], passport, fake.rng.choice(["hawaii_lovers", "europe_premium", "family", "onsen"]),
                         consent.isoformat(), fake.date(consent, REFERENCE).isoformat()))
    db.executemany(f"INSERT INTO marketing_contacts VALUES ({','.join('?' * 9)})", contacts)

    tickets = []
    for n in range(1, 151):
        cust = fake.rng.choice(customers)
        opened = fake.date(dt.date(2023, 1, 1), dt.date(2025, 10, 31))
        kind = fake.rng.random()
        if kind < 0.12:
            subject, body = "お支払いについて", f"カード番号 {fake.pan()} で決済できませんでした。確認をお願いします。"
        elif kind < 0.4:
            subject, body = "予約の変更", f"{cust['family_name']}です。出発日を変更したいです。連絡先は {cust['phone']} です。"
        else:
            subject, body = "問い合わせ", "ハワイの現地ツアーについて教えてください。"
        tickets.append((n, cust["customer_id"], f"{opened.isoformat()} 11:00:00", fake.rng.choice(["mail", "phone", "web"]),
                        subject, body))
    db.executemany("INSERT INTO support_tickets VALUES (?,?,?,?,?,?)", tickets)

    legacy = [(n, f"{c['family_name']} {c['given_name']}", fake.my_number(), "2019-04-01")
              for n, c in enumerate(customers[:40], start=1)]
    db.executemany("INSERT INTO legacy_import_2019 VALUES (?,?,?,?)", legacy)
    db.commit()
    db.execute("VACUUM")
    db.close()
    return customers, bookings


def write_exports(fake: Faker, customers: list[dict], bookings: list[dict]) -> None:
    out = HERE / "exports"
    out.mkdir(exist_ok=True)
    by_id = {c["customer_id"]: c for c in customers}
    october = [b for b in bookings if b["departure_date"].startswith("2025-10")]
    with (out / "jal_group_share_2025-10.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["jmb_number", "name_romaji", "birth_date", "gender", "email", "destination", "departure_date"])
        for b in october:
            c = by_id[b["customer_id"]]
            if c["jmb_number"]:
                writer.writerow([c["jmb_number"], c["name_romaji"], c["birth_date"], c["gender"], c["email"],
                                 b["destination"], b["departure_date"]])
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["氏名", "氏名カナ", "旅券番号", "便名", "出発日", "生年月日", "電話番号"])
    for b in october:
        if b["passport_number"]:
            c = by_id[b["customer_id"]]
            writer.writerow([f"{c['family_name']} {c['given_name']}", f"{c['family_name_kana']} {c['given_name_kana']}",
                             b["passport_number"], b["flight_number"], b["departure_date"], c["birth_date"], c["phone"]])
    (out / "duty_free_2025-10.csv").write_bytes(buf.getvalue().encode("cp932"))


def write_workbook(customers: list[dict], bookings: list[dict]) -> None:
    from openpyxl import Workbook

    out = HERE / "analytics"
    out.mkdir(exist_ok=True)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    summary.append(["destination", "bookings", "first_departure", "last_departure"])
    for code in sorted({b["destination"] for b in bookings}):
        deps = sorted(b["departure_date"] for b in bookings if b["destination"] == code)
        summary.append([code, len(deps), deps[0], deps[-1]])
    top = wb.create_sheet("TopCustomers")
    top.append(["name_romaji", "email", "jmb_number", "bookings"])
    counts: dict[int, int] = {}
    for b in bookings:
        counts[b["customer_id"]] = counts.get(b["customer_id"], 0) + 1
    by_id = {c["customer_id"]: c for c in customers}
    for cid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:25]:
        c = by_id[cid]
        top.append([c["name_romaji"], c["email"], c["jmb_number"], n])
    wb.properties.created = dt.datetime(2025, 11, 1)
    buf = io.BytesIO()
    wb.save(buf)
    (out / "sales_summary.xlsx").write_bytes(_reproducible_zip(buf.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """openpyxl stamps the save time into the zip entries and docProps/core.xml: pin both."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-11-01T00:00:00Z", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 11, 1, 0, 0, 0)), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_parquet(fake: Faker, bookings: list[dict]) -> None:
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    out = HERE / "warehouse"
    out.mkdir(exist_ok=True)
    rows = {
        "trip_key": [hashlib.sha256(f"salt-2025|{b['booking_id']}".encode()).hexdigest()[:16] for b in bookings],
        "destination": [b["destination"] for b in bookings],
        "departure_month": [b["departure_date"][:7] for b in bookings],
        "nights": [(dt.date.fromisoformat(b["return_date"]) - dt.date.fromisoformat(b["departure_date"])).days for b in bookings],
        "party_size": [fake.rng.randrange(1, 5) for _ in bookings],
        "revenue_jpy": [fake.rng.randrange(40, 900) * 1000 for _ in bookings],
    }
    pq.write_table(pa.table(rows), out / "trip_facts.parquet", compression="zstd")


def write_events(fake: Faker, customers: list[dict]) -> None:
    out = HERE / "events"
    out.mkdir(exist_ok=True)
    lines = []
    start = dt.datetime(2025, 10, 1, 8, 0, 0)
    for n in range(400):
        c = fake.rng.choice(customers)
        ts = start + dt.timedelta(minutes=97 * n)
        event = fake.rng.choice(["login", "search", "view_plan", "add_favorite", "callback_request"])
        doc = {"ts": ts.isoformat() + "+09:00", "event": event, "session": f"s{fake.rng.getrandbits(40):010x}",
               "user": {"id": c["customer_id"], "email": c["email"], "jmb": c["jmb_number"]},
               "payload": {"plan": fake.rng.choice(DESTINATIONS)[0]}}
        if event == "callback_request":  # the app team added this without telling anyone
            doc["payload"]["contact_phone"] = c["phone"]
        lines.append(json.dumps(doc, ensure_ascii=False))
    (out / "app_events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_log(fake: Faker, customers: list[dict]) -> None:
    out = HERE / "logs"
    out.mkdir(exist_ok=True)
    lines = []
    t = dt.datetime(2025, 10, 31, 23, 0, 0)
    for n in range(200):
        t += dt.timedelta(seconds=fake.rng.randrange(5, 90))
        stamp = t.strftime("%Y-%m-%d %H:%M:%S")
        if n in (57, 141):
            c = fake.rng.choice(customers)
            pan = fake.pan()
            name = c["name_romaji"].split()
            track1 = f"%B{pan}^{name[1].upper()}/{name[0].upper()}^2712101000000000000?"
            lines.append(f"{stamp} DEBUG payment.gateway raw swipe received track1={track1}")
            lines.append(f"{stamp} ERROR payment.gateway authorisation failed card_number={pan} code=05")
        elif n % 17 == 0:
            lines.append(f"{stamp} WARN booking.api slow response path=/api/bookings ms={fake.rng.randrange(900, 4000)}")
        else:
            lines.append(f"{stamp} INFO booking.api GET /api/plans/{fake.rng.choice(DESTINATIONS)[0]} 200 "
                         f"ms={fake.rng.randrange(20, 300)}")
    (out / "app.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    fake = Faker(SEED)
    customers, bookings = build_crm(fake, HERE / "crm.sqlite")
    write_exports(fake, customers, bookings)
    write_workbook(customers, bookings)
    write_parquet(fake, bookings)
    write_events(fake, customers)
    write_log(fake, customers)


if __name__ == "__main__":
    main()
