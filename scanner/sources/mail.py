"""E-mail: `.eml` (stdlib `email`, policy=default) and Outlook `.msg` (extract-msg, the
`docs` extra).

A message is one text dataset (`table = None`): first the address headers
(From, To, Cc, Bcc, Reply-To, Sender, one line each: names and addresses are
personal data), then Subject, then the body (text/plain preferred, else the
HTML part with tags dropped), `line` counting the lines of that text. Every
attachment is scanned as a file of its own kind through the same readers
(`scanner.sources.nested`), located as `mail.eml!attachment.csv`; an attached
e-mail or archive is opened in turn, within the archive depth limit. A message
over `MailLimits.max_bytes` is not parsed (`too_large`); attachments over
`max_attachment_bytes` are `skipped`.
"""

from __future__ import annotations

import email
import email.policy
import io
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

from scanner.sources import text
from scanner.sources.archives import ArchiveLimits
from scanner.sources.archives import limits_from as archive_limits
from scanner.sources.base import SKIPPED, Dataset, SourceError, SourceOptions, limits_of
from scanner.sources.extracted import DocumentLimits, Extracted, ExtractedDataset
from scanner.sources.files import FileRef, open_bytes, read_error, read_head
from scanner.sources.limits import MailLimits
from scanner.sources.markup import html_to_text
from scanner.sources.nested import dispatch_stream

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg is an OLE2 compound file
ADDRESS_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Delivered-To", "Return-Path")



def limits_from(options: SourceOptions) -> MailLimits:
    """The `mail:` section of the detection config's `limits:`, over the defaults above."""
    return limits_of(options, "mail", MailLimits)


def _text_of(lines: list[str], limits: MailLimits) -> Extracted:
    out = Extracted()
    text_limits = DocumentLimits(max_chars=limits.max_body_chars)
    for number, line in enumerate(lines, start=1):
        if not out.add(number, line, text_limits, "line"):
            break
    return out


def message_lines(headers: list[tuple[str, str]], subject: str | None, body: str) -> list[str]:
    """The text of a message as lines: address headers, subject, a blank line, the body."""
    lines = [f"{name}: {value}" for name, value in headers if value]
    if subject:
        lines.append(f"Subject: {subject}")
    return [*lines, "", *body.splitlines()]


# --- .eml ---------------------------------------------------------------------------------------
def read_eml(ref: FileRef, options: SourceOptions) -> Iterator[Dataset | SourceError]:
    limits = limits_from(options)
    try:
        with open_bytes(ref) as fh:
            raw = fh.read(limits.max_bytes + 1)
    except Exception as exc:  # noqa: BLE001
        raise read_error(ref, exc) from None
    if len(raw) > limits.max_bytes:
        raise SourceError(ref.source, f"message over {limits.max_bytes >> 20} MiB: not read", kind="too_large",
                          status=SKIPPED)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    del raw
    if not isinstance(message, EmailMessage) or not message.keys():
        raise SourceError(ref.source, "not an e-mail message (no headers)", kind="parse_error")
    headers = [(name, str(value)) for name in ADDRESS_HEADERS for value in (message.get_all(name) or [])]
    body = _body(message)
    yield ExtractedDataset(ref, _text_of(message_lines(headers, message.get("Subject"), body), limits))
    attachments = [(part.get_filename() or _default_name(part, i), part) for i, part in
                   enumerate(message.iter_attachments(), start=1)]
    yield from _attachments(ref, options, limits, [(name, lambda p=part: _payload(p)) for name, part in attachments])


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if part.get_content_subtype() == "html" else content


def _default_name(part: Any, index: int) -> str:
    if part.get_content_type() == "message/rfc822":
        return f"attachment{index}.eml"
    return f"attachment{index}.bin"


def _payload(part: Any) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return bytes(inner) if inner is not None else b""
    return part.get_payload(decode=True) or b""


def _attachments(ref: FileRef, options: SourceOptions, limits: MailLimits,
                 attachments: list[tuple[str, Any]]) -> Iterator[Dataset | SourceError]:
    """Each attachment through the readers of its kind; depth shared with archives."""
    depth_limits: ArchiveLimits = archive_limits(options)
    for index, (name, load) in enumerate(attachments):
        name = name.replace("\\", "/").lstrip("/") or f"attachment{index + 1}"
        source = f"{ref.source}!{name}"
        if index >= limits.max_attachments:
            yield SourceError(ref.source, f"only the first {limits.max_attachments} attachments were read",
                              kind="budget", status="partial")
            return
        if ref.nesting + 1 > depth_limits.max_depth:
            yield SourceError(source, f"attachment nested more than {depth_limits.max_depth} levels deep: not opened",
                              kind="budget", status=SKIPPED)
            continue
        try:
            data = load()
        except Exception as exc:  # noqa: BLE001 - a broken attachment is reported, the message goes on
            yield SourceError(source, f"cannot decode this attachment ({type(exc).__name__})", kind="corrupt")
            continue
        yield from dispatch_stream(io.BytesIO(data), name, source, options, nesting=ref.nesting + 1,
                                   max_bytes=limits.max_attachment_bytes)


# --- .msg ---------------------------------------------------------------------------------------
def extract_msg_parts(path: str, source: str) -> tuple[list[tuple[str, str]], str | None, str, list[tuple[str, bytes]]]:
    """Headers, subject, body and attachments (name, bytes) of an Outlook message."""
    import extract_msg

    message = extract_msg.openMsg(path)
    try:
        headers = [(name, value) for name, value in (("From", message.sender), ("To", message.to),
                                                     ("Cc", message.cc), ("Bcc", message.bcc)) if value]
        body = message.body or ""
        if not body.strip() and getattr(message, "htmlBody", None):
            body = html_to_text(message.htmlBody.decode("utf-8", errors="replace"))
        attachments = []
        for i, attachment in enumerate(message.attachments, start=1):
            data = attachment.data
            name = attachment.longFilename or attachment.shortFilename or f"attachment{i}.bin"
            if isinstance(data, bytes):
                attachments.append((name, data))
            elif data is not None and hasattr(data, "exportBytes"):  # an embedded message
                attachments.append((name if name.endswith(".msg") else f"{name}.msg", data.exportBytes()))
        return headers, message.subject, body, attachments
    finally:
        message.close()


def read_msg(ref: FileRef, options: SourceOptions) -> Iterator[Dataset | SourceError]:
    try:
        import extract_msg  # noqa: F401
    except ImportError:
        raise SourceError(ref.source, "Outlook .msg needs extract-msg: pip install 'piiscan[docs]'",
                          kind="missing_extra", status=SKIPPED) from None
    if ref.compressed:
        raise SourceError(ref.source, "gzip-compressed .msg files are not read", kind="unsupported", status=SKIPPED)
    if not read_head(ref, len(OLE_MAGIC)).startswith(OLE_MAGIC):  # e.g. a Tcl or gettext message catalogue
        yield from text.read(ref, options)
        return
    try:
        headers, subject, body, attachments = extract_msg_parts(str(ref.path), ref.source)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken message is reported, the scan goes on
        raise SourceError(ref.source, f"not a readable Outlook message ({type(exc).__name__})",
                          kind="parse_error") from None
    yield ExtractedDataset(ref, _text_of(message_lines(headers, subject, body), limits_from(options)))
    yield from _attachments(ref, options, limits_from(options), [(name, lambda d=data: d) for name, data in attachments])
