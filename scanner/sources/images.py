"""Images (`.png`, `.jpg`/`.jpeg`, `.tif`/`.tiff`) and image-only PDF pages, read with
Tesseract OCR (Debian `tesseract-ocr` + `tesseract-ocr-eng`, through pytesseract:
the `ocr` extra).

Why OCR here: passport copies are scanned and mailed. The OCR text becomes a
text dataset like any other, so the MRZ recognizer (every ICAO check digit must
hold, which also rejects OCR misreads) yields the passport number and the
holder's name, and the card recognizer finds printed card numbers. Each image
(each frame of a multi-page TIFF) is one row, `line` = frame number (1 for a
plain image), so the two MRZ lines stay in one text. Lines that look like an
MRZ line are tidied (spaces dropped, `«` read as `<<`) before detection.

Bounds: images over `ImageLimits.max_pixels` are not decoded (`too_large`,
checked from the header before any pixel is read; Pillow's own bomb check is
set to the same cap), at most `max_frames` frames, and Tesseract gets
`seconds` per image (`timeout` issue past it). Without Tesseract an image is a
`skipped` entry (`missing_extra`) that says how to install it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from scanner.sources.base import SKIPPED, Dataset, SourceError, SourceOptions, limits_of
from scanner.sources.extracted import DocumentLimits, Extracted, ExtractedDataset, run_parser
from scanner.sources.files import FileRef
from scanner.sources.limits import ImageLimits

MISSING = "OCR needs tesseract: apt-get install tesseract-ocr; pip install 'piiscan[ocr]'"
_MRZ_LIKE = re.compile(r"^[A-Z0-9<«\s]{30,}$")



def limits_from(options: SourceOptions) -> ImageLimits:
    """The `images:` section of the detection config's `limits:`, over the defaults above."""
    return limits_of(options, "images", ImageLimits)


@lru_cache(maxsize=1)
def ocr_available() -> bool:
    """pytesseract importable and a tesseract binary on PATH."""
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return shutil.which("tesseract") is not None


_WHITELIST = "-c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_TO_DIGIT = str.maketrans("OQDUILZSBG", "0001112586")
_TO_LETTER = str.maketrans("0125863", "OIZSBGJ")
# TD3 line 2: positions that hold digits (dates and check digits) and letters (nationality)
_TD3_DIGITS = [9, *range(13, 20), *range(21, 28), 42, 43]
_TD3_LETTERS = [10, 11, 12]


def repair_td3(line1: str, line2: str) -> tuple[str, str]:
    """OCR's usual MRZ slips, fixed by position: filler runs padded to 44, letters read in
    digit fields (O->0, I->1...) and digits in the nationality. The recognizer still
    checks every check digit, so a wrong repair yields nothing rather than a false hit."""
    line1 = (line1 + "<" * 44)[:44] if line1.startswith("P") else line1
    if len(line2) == 44:
        chars = list(line2)
        for i in _TD3_DIGITS:
            chars[i] = chars[i].translate(_TO_DIGIT)
        for i in _TD3_LETTERS:
            chars[i] = chars[i].translate(_TO_LETTER)
        line2 = "".join(chars)
    return line1, line2


def _mrz_lines(text: str) -> list[str]:
    """Lines that look like an MRZ line, spaces dropped and `«` read as `<<`."""
    found = []
    for line in text.splitlines():
        if _MRZ_LIKE.match(line) and "<" in line.replace("«", "<"):
            found.append(line.replace("«", "<<").replace(" ", ""))
    return found


def tidy(text: str, mrz_text: str | None = None) -> str:
    """The OCR text with its MRZ lines (from `mrz_text`, a pass restricted to MRZ
    characters, when given) tidied, repaired and kept together at the end."""
    others = [line for line in text.splitlines() if "<<" not in line and not (_MRZ_LIKE.match(line) and "<" in line)]
    mrz = _mrz_lines(mrz_text if mrz_text is not None else text)
    if len(mrz) >= 2 and mrz[-2].startswith("P"):
        mrz[-2], mrz[-1] = repair_td3(mrz[-2], mrz[-1])
    return "\n".join(others + ([""] if mrz else []) + mrz)


def ocr_pil(image: Any, limits: ImageLimits | None = None) -> str:
    """The text Tesseract reads in a Pillow image (greyscale, enlarged when small)."""
    import pytesseract
    from PIL import Image

    limits = limits or ImageLimits()
    if image.width * image.height > limits.max_pixels:
        raise SourceError("image", f"over {limits.max_pixels} pixels", kind="too_large", status=SKIPPED)
    grey = image.convert("L")
    if grey.width < limits.min_width:
        scale = limits.min_width / grey.width
        if grey.width * grey.height * scale * scale <= limits.max_pixels:
            grey = grey.resize((limits.min_width, round(grey.height * scale)), Image.Resampling.LANCZOS)
    text = pytesseract.image_to_string(grey, lang="eng", timeout=limits.seconds)
    if not _mrz_lines(text):
        return text
    # an MRZ: read again with only MRZ characters allowed (fewer slips such as `<` read as `e`)
    return tidy(text, pytesseract.image_to_string(grey, lang="eng", config=_WHITELIST, timeout=limits.seconds))


def extract_image(path: str, source: str, limits: ImageLimits) -> Extracted:
    """OCR text of each frame; the pixel cap is checked from the header before decoding."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    out = Extracted()
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > limits.max_pixels:
                raise SourceError(source, f"{width}x{height} pixels, over the {limits.max_pixels}-pixel limit",
                                  kind="too_large", status=SKIPPED)
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if number > limits.max_frames:
                    out.notes.append(("budget", f"only the first {limits.max_frames} frames were read"))
                    break
                try:
                    text = ocr_pil(frame, limits)
                except RuntimeError as exc:  # pytesseract: "Tesseract process timeout"
                    kind = "timeout" if "timeout" in str(exc).lower() else "parse_error"
                    out.notes.append((kind, f"frame {number}: OCR stopped ({kind})"))
                    continue
                out.add(number, text, _TEXT_LIMITS, "frame")
    except Image.DecompressionBombError:
        raise SourceError(source, f"over the {limits.max_pixels}-pixel limit", kind="too_large",
                          status=SKIPPED) from None
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise SourceError(source, f"not a readable image ({type(exc).__name__})", kind="corrupt") from None
    return out


_TEXT_LIMITS = DocumentLimits(max_chars=5_000_000)  # OCR text kept per image


def read_image(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    if not ocr_available():
        raise SourceError(ref.source, MISSING, kind="missing_extra", status=SKIPPED)
    if ref.compressed:
        raise SourceError(ref.source, "gzip-compressed images are not read", kind="unsupported", status=SKIPPED)
    yield ExtractedDataset(ref, run_parser(extract_image, ref, limits_from(options)))
