"""Office documents and PDFs as text: `.pdf` (pypdf), `.docx` (python-docx), `.pptx`
(python-pptx), `.rtf` (striprtf). HTML and XML are in `markup.py`.

A document becomes one text dataset whose `line` column is the place a reviewer
goes to, named by the dataset's `table`:

- PDF: `table = "pages"`, one row per page, `line` = page number (1-based);
- Word: `table = "paragraphs"`, one row per paragraph in document order (a table
  row is one paragraph, its cells joined by ` | `; headers and footers follow the
  body), `line` = paragraph number;
- PowerPoint: `table = "slides"`, one row per slide (shapes, tables and notes),
  `line` = slide number;
- RTF: `table = None`, `line` = line of the extracted text.

A page keeps its line breaks inside its row, so a passport MRZ printed on two
lines stays one text (the MRZ recognizer needs both lines for the holder's name).

Parsing runs in top-level functions that return plain data (`Extracted`), so
`scanner.sources.isolation.run_isolated` can run them in a child process with a
memory and time limit when that module exists. Every document is bounded:
`DocumentLimits` caps pages, characters and seconds; past a cap the dataset is
`partial` (a `budget` issue says what was left out). An encrypted PDF that the
empty password does not open is `skipped` (`encrypted`); a page with images and
no text is OCRed when the `ocr` extra and Tesseract are installed, otherwise it
is a `skipped` issue `image_only` naming the page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from scanner.extras import installed
from scanner.sources import images
from scanner.sources.base import SKIPPED, Dataset, SourceError, SourceOptions
from scanner.sources.extracted import DocumentLimits, Extracted, ExtractedDataset, limits_from, run_parser
from scanner.sources.files import FileRef, sniff_encoding


# --- PDF -----------------------------------------------------------------------------------
def extract_pdf(path: str, source: str, limits: DocumentLimits) -> Extracted:
    """Text of each page; an encrypted PDF that the empty password does not open is skipped."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise SourceError(source, "encrypted PDF (a password is needed to read it)",
                                  kind="encrypted", status=SKIPPED)
        pages = reader.pages
        total = len(pages)
    except FileNotDecryptedError:
        raise SourceError(source, "encrypted PDF (a password is needed to read it)",
                          kind="encrypted", status=SKIPPED) from None
    except PdfReadError as exc:
        raise SourceError(source, f"not a readable PDF ({str(exc)[:120]})", kind="corrupt") from None
    out = Extracted()
    started = time.monotonic()
    unread: dict[str, list[int]] = {}  # why image-only pages were not read -> their numbers
    ocr_budget = limits.max_ocr_pages
    for index in range(min(total, limits.max_pages)):
        if time.monotonic() - started > limits.seconds:
            out.notes.append(("timeout", f"time budget of {limits.seconds:.0f} s reached: pages {index + 1}-{total} "
                                         "were not read"))
            break
        page = pages[index]
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - one bad page is an issue, not the end of the document
            out.notes.append(("parse_error", f"page {index + 1} could not be read ({type(exc).__name__})"))
            continue
        if not text.strip() and _has_images(page):
            if limits.max_ocr_pages == 0:
                unread.setdefault("no OCR: install the 'ocr' extra", []).append(index + 1)
                continue
            if ocr_budget == 0:
                unread.setdefault(f"over the OCR budget of {limits.max_ocr_pages} pages", []).append(index + 1)
                continue
            ocr_budget -= 1
            ocr_text = _ocr_page(page, limits)
            if ocr_text is None:
                unread.setdefault("images that cannot be decoded or are over the pixel limit", []).append(index + 1)
                continue
            text = ocr_text
        if not out.add(index + 1, text, limits, "page"):
            break
    else:
        if total > limits.max_pages:
            out.notes.append(("budget", f"page budget: read the first {limits.max_pages} of {total} pages"))
    for why, numbers in unread.items():
        shown = ", ".join(str(p) for p in numbers[:10]) + (" ..." if len(numbers) > 10 else "")
        out.notes.append(("image_only", f"{len(numbers)} image-only pages not read ({why}): {shown}"))
    return out


def _has_images(page: Any) -> bool:
    try:
        resources = page.get("/Resources") or {}
        xobjects = resources.get_object().get("/XObject") if resources else None
        if not xobjects:
            return False
        return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
    except Exception:  # noqa: BLE001 - an odd resource dictionary: treat as no images
        return False


def _ocr_page(page: Any, limits: DocumentLimits) -> str | None:
    """The OCR text of a page's images (None: it has none that Pillow can decode)."""
    texts = []
    for image_file in page.images:
        try:
            image = image_file.image
        except Exception:  # noqa: BLE001 - an image pypdf cannot decode: the page stays unread
            continue
        if image is None:
            continue
        try:
            texts.append(images.ocr_pil(image))
        except (SourceError, RuntimeError):  # over the pixel cap, or Tesseract's timeout
            return None
    return "\n\n".join(texts) if texts else None


# --- Word, PowerPoint, RTF ---------------------------------------------------------------------
OOXML_MAX_UNPACKED = 512 << 20  # a .docx/.pptx whose parts unpack to more is not opened (a zip bomb)
OOXML_MAX_RATIO = 200


def check_ooxml(path: str, source: str) -> None:
    """Refuse an Office file whose zip directory declares a bomb, before its XML is parsed."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        raise SourceError(source, "not a readable Office file (not a zip)", kind="corrupt") from None
    unpacked = sum(p.file_size for p in parts)
    packed = sum(p.compress_size for p in parts)
    if unpacked > OOXML_MAX_UNPACKED or (unpacked > 1 << 20 and unpacked > OOXML_MAX_RATIO * max(packed, 1)):
        raise SourceError(source, f"its parts unpack to {unpacked >> 20} MiB from {packed >> 10} KiB "
                                  "(over the limit: a zip bomb?)", kind="too_large", status="failed")


def extract_docx(path: str, source: str, limits: DocumentLimits) -> Extracted:
    """Paragraphs in document order (a table row counts as one), then headers and footers."""
    import docx
    from docx.table import Table

    check_ooxml(path, source)

    document = docx.Document(path)
    out = Extracted()
    number = 0

    def texts() -> Iterator[str]:
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    yield " | ".join(cell.text for cell in row.cells)
            else:
                yield block.text
        for section in document.sections:
            for part in (section.header, section.footer):
                for paragraph in part.paragraphs:
                    yield paragraph.text

    for text in texts():
        number += 1
        if number > limits.max_pages * 50:
            out.notes.append(("budget", f"paragraph budget: read the first {limits.max_pages * 50} paragraphs"))
            break
        if not out.add(number, text, limits, "paragraph"):
            break
    return out


def extract_pptx(path: str, source: str, limits: DocumentLimits) -> Extracted:
    """One text per slide: every shape's text, table cells and the speaker notes."""
    from pptx import Presentation

    check_ooxml(path, source)
    out = Extracted()
    for number, slide in enumerate(Presentation(path).slides, start=1):
        if number > limits.max_pages:
            out.notes.append(("budget", f"slide budget: read the first {limits.max_pages} slides"))
            break
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False):
                parts += [" | ".join(cell.text for cell in row.cells) for row in shape.table.rows]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
        if not out.add(number, "\n".join(parts), limits, "slide"):
            break
    return out


def extract_rtf(path: str, source: str, limits: DocumentLimits, encoding: str) -> Extracted:
    """The plain text of an RTF file, one row per line."""
    from striprtf.striprtf import rtf_to_text

    with open(path, "rb") as fh:
        raw = fh.read(limits.max_chars + 1)
    out = Extracted()
    if len(raw) > limits.max_chars:
        out.notes.append(("budget", f"only the first {limits.max_chars} bytes were read"))
    text = rtf_to_text(raw[: limits.max_chars].decode(encoding, errors="replace"), errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not out.add(number, line, limits, "line"):
            break
    return out


# --- readers (the READERS registry) -----------------------------------------------------------
def _local(ref: FileRef, module: str, what: str) -> None:
    """A document this reader can open here: its parser installed, the file not gzipped."""
    if not installed(module):
        raise SourceError(ref.source, f"reading {what} needs {module}: pip install 'piiscan[docs]'",
                          kind="missing_extra", status=SKIPPED)
    if ref.compressed:
        raise SourceError(ref.source, "gzip-compressed documents are not read", kind="unsupported", status=SKIPPED)


def read_pdf(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    _local(ref, "pypdf", "PDF")
    limits = limits_from(options)
    if not images.ocr_available():  # decided here: the parser may run in a child process
        limits = replace(limits, max_ocr_pages=0)
    yield ExtractedDataset(ref, run_parser(extract_pdf, ref, limits), table="pages")


def read_docx(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    _local(ref, "docx", "Word documents")
    yield ExtractedDataset(ref, run_parser(extract_docx, ref, limits_from(options)), table="paragraphs")


def read_pptx(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    _local(ref, "pptx", "PowerPoint files")
    yield ExtractedDataset(ref, run_parser(extract_pptx, ref, limits_from(options)), table="slides")


def read_rtf(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    encoding = sniff_encoding(ref) or "cp1252"
    if ref.compressed or not installed("striprtf"):
        _local(ref, "striprtf", "RTF")
    yield ExtractedDataset(ref, run_parser(extract_rtf, ref, limits_from(options), encoding))


__all__ = ["read_docx", "read_pdf", "read_pptx", "read_rtf"]
