"""Files with planted personal data, made by the tests (documents, mail, archives, images).

Every builder writes real files in the format's own structure: a PDF by hand
(objects, content streams, xref), a .docx with python-docx, an .eml with the
stdlib, archives with zipfile/tarfile. The planted values are below; tests
assert each is found where it was put and that none appears raw in the result.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from email.message import EmailMessage
from pathlib import Path

from scanner.pipeline import ScanOptions, run_scan

CARD_VISA = "4111111111111111"
CARD_JCB = "3530111333300000"
PASSPORT = "TK1234567"
EMAIL = "yamada.taro@example.co.jp"
EMAIL_2 = "sato.hanako@example.com"
NAME = "Yamada Taro"

LINES = [
    "Booking confirmation",
    f"Guest name: {NAME}",
    f"Passport No. {PASSPORT}",
    f"Card number: {CARD_VISA}",
    f"Contact: {EMAIL}",
]
RAW_VALUES = [CARD_VISA, CARD_JCB, PASSPORT, EMAIL, EMAIL_2]


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def page_stream(lines: list[str]) -> bytes:
    """A content stream that prints `lines` in Helvetica, one under the other."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        ops += [f"{_pdf_string(line)} Tj", "T*"]
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def write_pdf(path: Path, pages: list[list[str]], repeat: int = 1, compress: bool = False,
              image_page: bool = False) -> Path:
    """A minimal valid PDF: one page per entry of `pages` (the whole list `repeat` times,
    sharing the content streams so a 10k-page file stays small). `image_page` appends a
    page that only draws an image (no text)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    streams = []
    for lines in pages:
        data = page_stream(lines)
        if compress:
            data = zlib.compress(data)
            streams.append(add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"))
        else:
            streams.append(add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"))
    kids = []
    resources = b"<< /Font << /F1 %d 0 R >> >>" % font
    for _ in range(repeat):
        for stream in streams:
            kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
                            % (pages_obj, resources, stream)))
    if image_page:
        pixels = bytes([0, 255] * 32)  # 8x8 grey checkerboard
        image = add(b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
        draw = b"q 100 0 0 100 72 600 cm /Im1 Do Q"
        content = add(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources "
                        b"<< /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_obj, image, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                              + b"] /Count %d >>" % len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    path.write_bytes(out.getvalue())
    return path


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Travel record", level=1)
    document.add_paragraph(f"Guest name: {NAME}")
    document.add_paragraph(f"Passport No. {PASSPORT}")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Card number"
    table.cell(0, 1).text = CARD_JCB
    table.cell(1, 0).text = "E-mail"
    table.cell(1, 1).text = EMAIL
    document.save(path)
    return path


def csv_bytes() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "card_number", "passport_no"])
    writer.writerow([NAME, EMAIL_2, CARD_JCB, PASSPORT])
    writer.writerow(["Sato Hanako", "sato.h@example.org", "4111111111111111", "TZ7654321"])
    return out.getvalue().encode()


def write_eml(path: Path, attachment_name: str = "customers.csv") -> Path:
    message = EmailMessage()
    message["From"] = f"Taro Yamada <{EMAIL}>"
    message["To"] = f"Hanako Sato <{EMAIL_2}>"
    message["Subject"] = "Booking export"
    message.set_content(f"Hello,\nthe card on file is {CARD_VISA}.\nRegards\n")
    message.add_attachment(csv_bytes(), maintype="text", subtype="csv", filename=attachment_name)
    path.write_bytes(bytes(message))
    return path


def scan_json(target: Path | str, **options) -> dict:
    """The result of a real scan as its published JSON (a dict), checked for raw values."""
    result = run_scan([str(target)], ScanOptions(jobs=1, **options))
    doc = result.to_dict()
    text = json.dumps(doc, ensure_ascii=False)
    for raw in RAW_VALUES:
        assert raw not in text, "a raw planted value leaked into the result"
    return doc


def found(doc: dict, entity: str, source: str, table: str | None = "*", line: int | None = None) -> list[dict]:
    """Findings of `entity` at `source` (and `table`, and holding `line`)."""
    return [f for f in doc["findings"] if f["entity_type"] == entity and f["source"] == source
            and (table == "*" or f["table"] == table) and (line is None or line in (f["lines"] or []))]


def mrz_check(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over digits, letters (A=10) and < (0)."""
    def value(ch: str) -> int:
        return int(ch) if ch.isdigit() else 0 if ch == "<" else ord(ch) - 55
    return str(sum(value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def td3_mrz(surname: str = "YAMADA", given: str = "TARO", number: str = PASSPORT, birth: str = "850412",
            expiry: str = "310101", sex: str = "M") -> tuple[str, str]:
    """A TD3 (passport) MRZ whose five check digits hold."""
    line1 = f"P<JPN{surname}<<{given}".ljust(44, "<")
    optional = "<" * 14
    body = f"{number}{mrz_check(number)}JPN{birth}{mrz_check(birth)}{sex}{expiry}{mrz_check(expiry)}"
    body += f"{optional}{mrz_check(optional)}"
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + mrz_check(composite)


def write_passport_png(path: Path, fmt: str = "PNG") -> Path:
    """A passport data page: printed fields, then the MRZ in a monospace font (DejaVu Sans Mono)."""
    from PIL import Image, ImageDraw, ImageFont

    mono = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 30)
    sans = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 26)
    image = Image.new("RGB", (1500, 900), "white")
    draw = ImageDraw.Draw(image)
    draw.text((60, 40), "JAPAN  PASSPORT", font=sans, fill="black")
    for row, text in enumerate(["Type P   Issuing country JPN", f"Passport No. {PASSPORT}",
                                "Surname YAMADA", "Given name TARO", "Date of birth 12 APR 1985"]):
        draw.text((420, 120 + row * 50), text, font=sans, fill="black")
    draw.rectangle((60, 120, 360, 520), outline="black", width=3)  # the photo
    line1, line2 = td3_mrz()
    draw.text((60, 700), line1, font=mono, fill="black")
    draw.text((60, 760), line2, font=mono, fill="black")
    image.save(path, fmt)
    return path
