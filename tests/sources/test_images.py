"""Images through Tesseract: a passport data page rendered by the test yields the passport
number and the holder (MRZ check digits), printed cards are found; bounds and a missing
Tesseract end as named entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.sources import images, open_file
from scanner.sources.base import SourceError, SourceOptions
from scanner.sources.images import ImageLimits, repair_td3
from tests.sources import planted

PIL = pytest.importorskip("PIL", reason="the 'ocr' extra (pip install 'piiscan[ocr]')")
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
needs_ocr = pytest.mark.skipif(not images.ocr_available() or not FONT.exists(),
                               reason="the 'ocr' extra: apt-get install tesseract-ocr tesseract-ocr-eng "
                                      "fonts-dejavu-core; pip install 'piiscan[ocr]'")


@needs_ocr
def test_passport_page_and_printed_card_found(tmp_path: Path) -> None:
    planted.write_passport_png(tmp_path / "passport.png")
    planted.write_passport_png(tmp_path / "copy.jpg", fmt="JPEG")
    card = Image.new("RGB", (1200, 300), "white")
    ImageDraw.Draw(card).text((40, 100), "Card number: 4111 1111 1111 1111", fill="black",
                              font=ImageFont.truetype(str(FONT), 44))
    card.save(tmp_path / "card.tiff")

    doc = planted.scan_json(tmp_path)

    for name in ("passport.png", "copy.jpg"):
        passports = planted.found(doc, "PASSPORT_NUMBER", name, None, line=1)
        assert passports and "TK*****67" in passports[0]["examples"]
        people = planted.found(doc, "PERSON", name, None, line=1)
        assert people, name
    assert planted.found(doc, "CREDIT_CARD", "card.tiff", None, line=1)
    assert doc["errors"] == []


@needs_ocr
def test_image_only_pdf_page_is_ocred(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    page = planted.write_passport_png(tmp_path / "page.png")
    Image.open(page).convert("RGB").save(tmp_path / "scan.pdf", "PDF", resolution=150)
    writer = PdfWriter(clone_from=tmp_path / "scan.pdf")
    writer.write(tmp_path / "scan.pdf")
    page.unlink()

    doc = planted.scan_json(tmp_path)

    assert planted.found(doc, "PASSPORT_NUMBER", "scan.pdf", "pages", line=1)
    assert planted.found(doc, "PERSON", "scan.pdf", "pages", line=1)


def test_without_tesseract_the_image_is_skipped_with_how_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "ocr_available", lambda: False)
    Image.new("RGB", (10, 10)).save(tmp_path / "x.png")
    [error] = list(open_file(tmp_path / "x.png", "x.png", SourceOptions()))
    assert isinstance(error, SourceError)
    assert (error.kind, error.status) == ("missing_extra", "skipped")
    assert "apt-get install tesseract-ocr" in error.message and "piiscan[ocr]" in error.message


@needs_ocr
def test_pixel_cap_is_checked_before_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Image.new("L", (4000, 3000)).save(tmp_path / "big.png")
    monkeypatch.setattr(images, "limits_from", lambda options: ImageLimits(max_pixels=1_000_000))
    [error] = list(open_file(tmp_path / "big.png", "big.png", SourceOptions()))
    assert isinstance(error, SourceError) and (error.kind, error.status) == ("too_large", "skipped")


@needs_ocr
def test_broken_image_fails(tmp_path: Path) -> None:
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    [error] = list(open_file(tmp_path / "bad.png", "bad.png", SourceOptions()))
    assert isinstance(error, SourceError) and (error.kind, error.status) == ("corrupt", "failed")


@pytest.mark.parametrize(("ocr1", "ocr2", "fixed2"), [
    # J read as 3 in the nationality, 0 as Q in a check digit, filler cut short on line 1
    ("P<JPNYAMADA<<TARO<<<<<<<", "TK123456713PN8504124M3101012<<<<<<<<<<<<<<Q2",
     "TK12345671JPN8504124M3101012<<<<<<<<<<<<<<02"),
    ("P<JPNYAMADA<<TARO", "TK12345671JPN85O4124M31O1012<<<<<<<<<<<<<<02",
     "TK12345671JPN8504124M3101012<<<<<<<<<<<<<<02"),
])
def test_repair_td3_by_position(ocr1: str, ocr2: str, fixed2: str) -> None:
    line1, line2 = repair_td3(ocr1, ocr2)
    assert (line1, line2) == (planted.td3_mrz()[0], fixed2)
    assert line2 == planted.td3_mrz()[1]


def test_repair_does_not_touch_the_document_number() -> None:
    _, line2 = repair_td3("P<JPN", "TKI23456713PN8504124M3101012<<<<<<<<<<<<<<Q2")
    assert line2.startswith("TKI234567")  # alphanumeric field: left for the check digit to reject


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LETTERS = st.text(alphabet=st.sampled_from(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), min_size=1, max_size=12)
_DATE = st.dates().map(lambda d: d.strftime("%y%m%d"))


@given(_LETTERS, _LETTERS, st.from_regex(r"[A-Z]{2}[0-9]{7}", fullmatch=True), _DATE, _DATE)
def test_repair_leaves_a_valid_mrz_as_it_is(surname: str, given_name: str, number: str, birth: str,
                                            expiry: str) -> None:
    line1, line2 = planted.td3_mrz(surname, given_name, number, birth, expiry)
    assert repair_td3(line1, line2) == (line1, line2)
    assert repair_td3(line1.rstrip("<"), line2) == (line1, line2)  # filler cut short by OCR
