"""Documents (PDF, Word, PowerPoint, RTF, HTML, XML): planted values found at their page,
paragraph or line; encrypted, image-only and huge PDFs end as bounded, named entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.sources import open_file
from scanner.sources.base import SourceError, SourceOptions
from scanner.sources.extracted import DocumentLimits
from tests.sources import planted
from tests.sources.conftest import read_all

pytest.importorskip("pypdf", reason="the 'docs' extra (pip install 'piiscan[docs]')")


def items(path: Path, **options) -> list:
    out = []
    for item in open_file(path, path.name, SourceOptions(**options)):
        out.append(item if isinstance(item, SourceError) else (item, read_all(item).to_pylist()))
    return out


def test_pdf_docx_pptx_rtf_html_xml_findings_with_their_place(tmp_path: Path) -> None:
    from pptx import Presentation

    planted.write_pdf(tmp_path / "booking.pdf", [["Cover page"], planted.LINES], compress=True)
    planted.write_docx(tmp_path / "record.docx")
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Intro"
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "VIP guest"
    slide.placeholders[1].text = f"Passport No. {planted.PASSPORT}\nCard number: {planted.CARD_VISA}"
    deck.save(tmp_path / "deck.pptx")
    rtf = "{\\rtf1\\ansi{\\fonttbl\\f0 Helvetica;}\\f0 Invoice\\par Card number: " + planted.CARD_JCB + "\\par }"
    (tmp_path / "invoice.rtf").write_text(rtf)
    (tmp_path / "page.html").write_text(
        "<html><head><script>var x = 1;</script></head><body>\n<h1>Guest</h1>\n"
        f"<p>Contact <a href=\"mailto:{planted.EMAIL}\">us</a></p>\n<p>Card number: {planted.CARD_VISA}</p>\n</body></html>\n")
    (tmp_path / "export.xml").write_text(
        f"<?xml version=\"1.0\"?>\n<guests>\n  <guest email=\"{planted.EMAIL_2}\">\n"
        f"    <passport>{planted.PASSPORT}</passport>\n  </guest>\n</guests>\n")

    doc = planted.scan_json(tmp_path)

    assert planted.found(doc, "CREDIT_CARD", "booking.pdf", "pages", line=2)
    assert planted.found(doc, "PASSPORT_NUMBER", "booking.pdf", "pages", line=2)
    assert planted.found(doc, "EMAIL_ADDRESS", "booking.pdf", "pages", line=2)
    assert planted.found(doc, "PERSON", "booking.pdf", "pages", line=2)
    assert not planted.found(doc, "CREDIT_CARD", "booking.pdf", "pages", line=1)
    # Word: paragraph 3 is the passport, the table rows are paragraphs 4 and 5
    assert planted.found(doc, "PASSPORT_NUMBER", "record.docx", "paragraphs", line=3)
    assert planted.found(doc, "CREDIT_CARD", "record.docx", "paragraphs", line=4)
    assert planted.found(doc, "EMAIL_ADDRESS", "record.docx", "paragraphs", line=5)
    assert planted.found(doc, "PERSON", "record.docx", "paragraphs", line=2)
    assert planted.found(doc, "PASSPORT_NUMBER", "deck.pptx", "slides", line=2)
    assert planted.found(doc, "CREDIT_CARD", "deck.pptx", "slides", line=2)
    assert planted.found(doc, "CREDIT_CARD", "invoice.rtf", None)
    assert planted.found(doc, "EMAIL_ADDRESS", "page.html", None, line=3)  # the line of the source file
    assert planted.found(doc, "CREDIT_CARD", "page.html", None, line=4)
    assert planted.found(doc, "EMAIL_ADDRESS", "export.xml", None, line=3)
    assert planted.found(doc, "PASSPORT_NUMBER", "export.xml", None, line=4)
    assert doc["errors"] == []


def test_html_drops_scripts_and_keeps_source_lines(tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text("<p>one</p>\n<script>\nsecret()\n</script>\n<p>two\nthree</p>\n")
    [(dataset, rows)] = items(page)
    assert rows == [{"line": 1, "text": "one"}, {"line": 5, "text": "two"}, {"line": 6, "text": "three"}]


def test_xml_entity_declarations_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "lol.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
                    "<l>&b;</l>\n")
    [(dataset, rows)] = items(bomb)
    assert rows == []
    assert [i.kind for i in dataset.issues] == ["parse_error"]


def test_encrypted_pdf_is_skipped_with_its_reason(tmp_path: Path) -> None:
    pytest.importorskip("cryptography", reason="pypdf needs it to write an encrypted PDF")
    from pypdf import PdfReader, PdfWriter

    plain = planted.write_pdf(tmp_path / "plain.pdf", [planted.LINES])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    [error] = items(locked)
    assert isinstance(error, SourceError)
    assert (error.kind, error.status) == ("encrypted", "skipped")


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    pytest.importorskip("cryptography", reason="pypdf needs it to write an encrypted PDF")
    from pypdf import PdfReader, PdfWriter

    plain = planted.write_pdf(tmp_path / "plain.pdf", [planted.LINES])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    opened = tmp_path / "opened.pdf"
    with open(opened, "wb") as fh:
        writer.write(fh)
    [(dataset, rows)] = items(opened)
    assert planted.CARD_VISA in rows[0]["text"]


def test_image_only_page_is_named_when_no_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.sources import images

    monkeypatch.setattr(images, "ocr_available", lambda: False)
    path = planted.write_pdf(tmp_path / "scan.pdf", [planted.LINES], image_page=True)
    [(dataset, rows)] = items(path)
    assert [r["line"] for r in rows] == [1]
    assert [(i.kind, i.message) for i in dataset.issues] == [
        ("image_only", "1 image-only pages not read (no OCR: install the 'ocr' extra): 2")]


def test_ten_thousand_page_pdf_is_bounded_and_partial(tmp_path: Path) -> None:
    path = planted.write_pdf(tmp_path / "huge.pdf", [planted.LINES], repeat=10_000)
    assert path.stat().st_size < 2_000_000
    [(dataset, rows)] = items(path)
    limits = DocumentLimits()
    assert len(rows) == limits.max_pages
    assert [i.kind for i in dataset.issues] == ["budget"]
    assert "first 2000 of 10000 pages" in dataset.issues[0].message


def test_text_budget_stops_reading(tmp_path: Path) -> None:
    from scanner.sources.documents import extract_pdf

    path = planted.write_pdf(tmp_path / "long.pdf", [planted.LINES], repeat=50)
    out = extract_pdf(str(path), "long.pdf", DocumentLimits(max_chars=1_000))
    assert 0 < len(out.rows) < 50
    assert out.notes[-1][0] == "budget"


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("broken.pdf", b"%PDF-1.4\nthis is not a pdf", "corrupt"),
    ("broken.docx", b"PK\x03\x04 not a zip", "parse_error"),
    ("empty.pptx", b"", "parse_error"),
])
def test_broken_documents_fail_with_a_reason(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [error] = items(path)
    assert isinstance(error, SourceError)
    assert error.kind in (kind, "corrupt", "parse_error")
    assert error.status == "failed"


def test_office_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(20):  # 20 MB of spaces: a ratio of ~1000
                member.write(b" " * (1 << 20))
    assert path.stat().st_size < 5_000_000
    [error] = items(path)
    assert isinstance(error, SourceError) and (error.kind, error.status) == ("too_large", "failed")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/&;=\"' \nabcp!-?[]x")), max_size=400))
def test_markup_parsers_never_raise_and_keep_line_order(tmp_path_factory, text: str) -> None:
    folder = tmp_path_factory.mktemp("markup")
    for name in ("x.html", "x.xml"):
        (folder / name).write_text(text)
        [dataset] = list(open_file(folder / name, name, SourceOptions()))
        lines = [row["line"] for row in read_all(dataset).to_pylist()] if read_all(dataset).num_rows else []
        assert lines == sorted(set(lines)) and all(1 <= n <= text.count("\n") + 1 for n in lines)
        assert all(issue.kind in ("parse_error", "truncated") for issue in dataset.issues)
