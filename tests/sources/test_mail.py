"""E-mail: headers and body found in the message, each attachment as its own file
(`mail.eml!customers.csv`) read by the reader of its kind, nested mail and archives too."""

from __future__ import annotations

import io
import types
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from scanner.sources import open_file
from scanner.sources.base import SourceError, SourceOptions
from tests.sources import planted
from tests.sources.conftest import read_all


def test_eml_headers_body_and_csv_attachment(tmp_path: Path) -> None:
    planted.write_eml(tmp_path / "mail.eml")

    doc = planted.scan_json(tmp_path)

    # From (line 1) and To (line 2) are personal data; the body's card is on line 6
    assert planted.found(doc, "EMAIL_ADDRESS", "mail.eml", None, line=1)
    assert planted.found(doc, "EMAIL_ADDRESS", "mail.eml", None, line=2)
    assert planted.found(doc, "PERSON", "mail.eml", None, line=1)
    assert planted.found(doc, "CREDIT_CARD", "mail.eml", None, line=6)
    attachment = "mail.eml!customers.csv"  # scanned as a CSV: findings per column
    assert [f["field"] for f in planted.found(doc, "CREDIT_CARD", attachment)] == ["card_number"]
    assert [f["field"] for f in planted.found(doc, "PASSPORT_NUMBER", attachment)] == ["passport_no"]
    assert [f["field"] for f in planted.found(doc, "EMAIL_ADDRESS", attachment)] == ["email"]
    assert [f["field"] for f in planted.found(doc, "PERSON", attachment)] == ["name"]
    assert doc["errors"] == []
    assert {s["source"]: s["status"] for s in doc["sources"]} == {"mail.eml": "scanned", attachment: "scanned"}


def test_html_body_forwarded_mail_and_zip_attachment(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = f"Hanako Sato <{planted.EMAIL_2}>"
    inner["Subject"] = "passport copy"
    inner.set_content(f"Passport No. {planted.PASSPORT}\n")
    outer = EmailMessage()
    outer["From"] = "desk@example.com"
    outer["Subject"] = "Fwd"
    outer.set_content(f"<html><body><p>Card number: {planted.CARD_JCB}</p></body></html>", subtype="html")
    outer.add_attachment(inner)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("list.txt", f"contact {planted.EMAIL}\n")
    outer.add_attachment(archive.getvalue(), maintype="application", subtype="zip", filename="list.zip")
    (tmp_path / "fwd.eml").write_bytes(bytes(outer))

    doc = planted.scan_json(tmp_path)

    assert planted.found(doc, "CREDIT_CARD", "fwd.eml", None)
    assert planted.found(doc, "PASSPORT_NUMBER", "fwd.eml!attachment1.eml", None)
    assert planted.found(doc, "EMAIL_ADDRESS", "fwd.eml!attachment1.eml", None, line=1)
    assert planted.found(doc, "EMAIL_ADDRESS", "fwd.eml!list.zip!list.txt", None, line=1)
    assert doc["errors"] == []


def test_not_an_email_fails_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.eml"
    path.write_bytes(b"\x00\x01\x02 just bytes")
    items = list(open_file(path, path.name, SourceOptions()))
    assert [(type(i).__name__, getattr(i, "kind", None)) for i in items] == [("SourceError", "parse_error")]


def test_msg_text_catalogue_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "fr.msg"  # Tcl message catalogues share the extension
    path.write_text(f'::msgcat::mcset fr "contact" "{planted.EMAIL}"\n')
    [dataset] = list(open_file(path, path.name, SourceOptions()))
    assert dataset.kind == "text" and read_all(dataset).num_rows == 1


def test_outlook_msg_headers_body_and_attachment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """extract-msg cannot write a .msg, so its reader is stood in for; our mapping is what is tested."""
    extract_msg = pytest.importorskip("extract_msg", reason="the 'docs' extra (pip install 'piiscan[docs]')")
    attachment = types.SimpleNamespace(data=planted.csv_bytes(), longFilename="customers.csv", shortFilename=None)
    fake = types.SimpleNamespace(sender=f"Taro Yamada <{planted.EMAIL}>", to=planted.EMAIL_2, cc=None, bcc=None,
                                 subject="export", body=f"card {planted.CARD_VISA}\n", htmlBody=None,
                                 attachments=[attachment], close=lambda: None)
    monkeypatch.setattr(extract_msg, "openMsg", lambda path: fake)
    path = tmp_path / "note.msg"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))

    doc = planted.scan_json(tmp_path)

    assert planted.found(doc, "EMAIL_ADDRESS", "note.msg", None, line=1)
    assert planted.found(doc, "CREDIT_CARD", "note.msg", None, line=5)
    assert [f["field"] for f in planted.found(doc, "CREDIT_CARD", "note.msg!customers.csv")] == ["card_number"]


def test_broken_msg_fails_with_a_reason(tmp_path: Path) -> None:
    pytest.importorskip("extract_msg", reason="the 'docs' extra (pip install 'piiscan[docs]')")
    path = tmp_path / "broken.msg"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"garbage" * 10)
    [error] = list(open_file(path, path.name, SourceOptions()))
    assert isinstance(error, SourceError) and (error.kind, error.status) == ("parse_error", "failed")
