"""HTML and XML as text, streamed: `.html`/`.htm` (stdlib `html.parser`), `.xml` (expat).

Tags are dropped and the text is kept with the source line it starts on, so
`line` is the line of the original file a reviewer opens. Script and style
bodies are skipped. Attribute values are kept (a `mailto:` link, an XML
`<guest email="...">`); XML text and attributes are given as `name=value` so the
element name acts as context (`passport=TK...`), as it does in the raw file.

Both parsers are fed the file in 1 MB chunks, so memory stays bounded by the
longest line (cut at `SourceOptions.max_text_line_chars`). XML with a DTD that
declares entities is refused (`parse_error`): entity expansion is how a small
file becomes gigabytes ("billion laughs"). A file that stops parsing part way
is `partial`: what was read before is scanned.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from xml.parsers import expat

import numpy as np
import pyarrow as pa

from scanner.sources.base import DEFAULT_BATCH_ROWS, Dataset, SourceError, SourceOptions
from scanner.sources.files import FileDataset, FileRef, open_bytes, read_error, sniff_encoding

SCHEMA = pa.schema([("line", pa.int64()), ("text", pa.string())])
CHUNK_BYTES = 1 << 20
_SKIPPED_ATTRIBUTES = frozenset({"style", "class", "id", "width", "height", "align", "valign", "border", "rel", "type"})


class _Lines:
    """Texts collected per source line; whole lines are handed out once the parser moved on."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.current: dict[int, list[str]] = {}
        self.truncated = 0

    def add(self, line: int, text: str) -> None:
        for offset, piece in enumerate(text.split("\n")):
            piece = piece.strip()
            if piece:
                parts = self.current.setdefault(line + offset, [])
                if sum(len(p) for p in parts) < self.max_chars:
                    parts.append(piece)
                else:
                    self.truncated += 1

    def take(self, before: int | None) -> list[tuple[int, str]]:
        done = sorted(n for n in self.current if before is None or n < before)
        rows = [(n, " ".join(self.current.pop(n))[: self.max_chars]) for n in done]
        return rows


class _Html(HTMLParser):
    def __init__(self, lines: _Lines):
        super().__init__(convert_charrefs=True)
        self.lines = lines
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        values = [v for k, v in attrs if v and k not in _SKIPPED_ATTRIBUTES and not k.startswith("on")]
        if values:
            self.lines.add(self.getpos()[0], " ".join(values))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.lines.add(self.getpos()[0], data)


class _Xml:
    """expat with entity declarations refused; text as `element=value`."""

    def __init__(self, lines: _Lines):
        self.lines = lines
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._data
        self.parser.EntityDeclHandler = self._entity
        self.parser.buffer_text = True
        self.stack: list[str] = []

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.stack.append(name)
        for key, value in attrs.items():
            if value and key not in _SKIPPED_ATTRIBUTES:
                self.lines.add(self.parser.CurrentLineNumber, f"{key}={value}")

    def _end(self, name: str) -> None:
        if self.stack:
            self.stack.pop()

    def _data(self, data: str) -> None:
        if data.strip():
            element = self.stack[-1] if self.stack else ""
            self.lines.add(self.parser.CurrentLineNumber, f"{element}={data.strip()}" if "\n" not in data.strip()
                           else data)

    def _entity(self, *args: Any) -> None:
        raise ValueError("the XML declares entities (refused: entity expansion can blow up)")

    def feed(self, data: bytes, final: bool) -> None:
        self.parser.Parse(data, final)

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber


class MarkupDataset(FileDataset):
    """An HTML or XML file as the text on each of its lines."""

    kind = "text"

    def __init__(self, ref: FileRef, markup: str, encoding: str | None, max_line_chars: int):
        super().__init__(ref)
        self.markup = markup  # "html" or "xml"
        self.encoding = encoding
        self.max_line_chars = max_line_chars

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        self.issues.clear()
        self.bad_records = 0
        lines = _Lines(self.max_line_chars)
        pending: list[tuple[int, str]] = []
        try:
            for rows in self._rows(lines):
                pending += rows
                while len(pending) >= batch_rows:
                    yield _batch(pending[:batch_rows])
                    pending = pending[batch_rows:]
        except SourceError:
            raise
        except (ValueError, expat.ExpatError, AssertionError) as exc:
            pending += lines.take(None)
            message = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            self.note_bad_record(f"{self.markup.upper()} stopped parsing ({message}); the text before was read",
                                 kind="parse_error")
        except Exception as exc:  # noqa: BLE001 - OS / gzip failures become one clear error
            raise read_error(self.ref, exc) from None
        if pending:
            yield _batch(pending)
        if lines.truncated:
            self.note_bad_record(f"{lines.truncated} texts on lines longer than {self.max_line_chars} characters "
                                 "were cut", kind="truncated")

    def _rows(self, lines: _Lines) -> Iterator[list[tuple[int, str]]]:
        with open_bytes(self.ref) as fh:
            if self.markup == "xml":
                parser = _Xml(lines)
                while True:
                    raw = fh.read(CHUNK_BYTES)
                    parser.feed(raw, final=not raw)
                    yield lines.take(None if not raw else parser.line)
                    if not raw:
                        return
            html = _Html(lines)
            decoder = codecs.getincrementaldecoder(self.encoding or "utf-8")(errors="replace")
            while True:
                raw = fh.read(CHUNK_BYTES)
                html.feed(decoder.decode(raw, final=not raw))
                if not raw:
                    html.close()
                    yield lines.take(None)
                    return
                yield lines.take(html.getpos()[0])


def _batch(rows: list[tuple[int, str]]) -> pa.RecordBatch:
    numbers = pa.array(np.fromiter((n for n, _ in rows), dtype=np.int64, count=len(rows)))
    return pa.RecordBatch.from_arrays([numbers, pa.array([t for _, t in rows], pa.string())], schema=SCHEMA)


def html_to_text(html: str) -> str:
    """The text of an HTML string (an e-mail body), tags, scripts and styles dropped."""
    lines = _Lines(1_000_000)
    parser = _Html(lines)
    parser.feed(html)
    parser.close()
    return "\n".join(text for _, text in lines.take(None))


def read_html(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    yield MarkupDataset(ref, "html", sniff_encoding(ref), options.max_text_line_chars)


def read_xml(ref: FileRef, options: SourceOptions) -> Iterator[Dataset]:
    yield MarkupDataset(ref, "xml", None, options.max_text_line_chars)  # expat reads the declared encoding
