"""The limits of each source kind, as `limits:` in configs/detection.yaml sets them.

Plain dataclasses with their defaults, apart from the readers that use them: the
detection config is checked against them when a scan starts (an unknown key is
one line naming it), and that check must not import the readers (pypdf, Pillow,
boto3...) of kinds the scan may never meet.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchiveLimits:
    max_depth: int = 3  # archives inside archives (an e-mail attachment counts as a level)
    max_members: int = 10_000
    max_total_bytes: int = 2 << 30  # 2 GiB unpacked per top-level archive
    max_member_bytes: int = 512 << 20  # 512 MiB: one member (its temporary copy on disk)
    max_ratio: float = 200.0  # unpacked : compressed
    ratio_floor_bytes: int = 1 << 20  # below 1 MiB unpacked the ratio is not judged
    max_reported: int = 20  # member problems listed per top-level archive


@dataclass(frozen=True)
class DocumentLimits:
    """Bounds for one document (defaults; `documents:` in configs/detection.yaml may override)."""

    max_pages: int = 2_000  # pages / slides / paragraphs read
    max_chars: int = 20_000_000  # extracted characters kept
    seconds: float = 120.0  # extraction time
    max_row_chars: int = 200_000  # one page or paragraph
    max_ocr_pages: int = 20  # image-only PDF pages sent to OCR


@dataclass(frozen=True)
class ImageLimits:
    max_pixels: int = 50_000_000  # ~ a 600 dpi A4 scan is 35 Mpx
    max_frames: int = 20
    seconds: float = 60.0  # Tesseract per image
    min_width: int = 1600  # smaller scans are enlarged first: Tesseract reads small print badly


@dataclass(frozen=True)
class MailLimits:
    max_bytes: int = 100 << 20  # one message, attachments included
    max_attachment_bytes: int = 512 << 20
    max_attachments: int = 200
    max_body_chars: int = 5_000_000


@dataclass(frozen=True)
class ObjectStoreLimits:
    max_object_bytes: int = 2 << 30  # one object copied for a reader that needs a file
    max_objects: int = 1_000_000


# Source kind -> the dataclass of its `limits:` section.
LIMITS: dict[str, type] = {
    "archives": ArchiveLimits,
    "documents": DocumentLimits,
    "images": ImageLimits,
    "mail": MailLimits,
    "object_store": ObjectStoreLimits,
}
