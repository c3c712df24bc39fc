"""What a user names to scan, parsed once into a `Target`.

A target is a local path (a folder or a file), a database URL
(`sqlite:///crm.db`, `postgresql://app@db/crm`, `mysql://…`), or an
object-store URL (`s3://bucket/prefix`). Which one it is depends on its scheme
alone, decided here and nowhere else: the rest of piiscan holds a `Target` and
asks it, it never looks for `://` again.

Why a registry of schemes: a misspelt scheme (`postgresq://user:secret@db/x`)
used to be taken for a file path that did not exist, and the URL, password
included, was printed in the result, the reports and the state store. Here an
unknown scheme is a `TargetError` (a usage error, exit 2) whose message shows
the URL with its password removed. Adding a kind of store is one `register`
call naming the scheme and the function that opens it.

A `Target` never shows its password: `str()`, `repr()` and `display` all
hide it; only `Target.open` passes the URL as given to the source that
connects. `display` also passes the scrubber (a folder named after a card
number keeps its shape, not its digits), since it is what every output shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanner.lazy import load
from scanner.scrubbing import scrub_name

if TYPE_CHECKING:
    from scanner.sources.base import Dataset, SourceError, SourceOptions

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
_USERINFO = re.compile(r"^(?P<head>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:/@\s]*)(?::[^@/\s]*)?@")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


class TargetError(ValueError):
    """A target that cannot be scanned as written: a usage error, never holding a password."""


@dataclass(frozen=True)
class SchemeKind:
    """One registered kind of target.

    The functions are named as `"module:function"` and imported on first use, so
    parsing a target costs no import of a database driver or an S3 client, and
    this module imports no source (sources import nothing from here either).
    - `opener(target, options, stats)` yields the target's datasets and SourceErrors;
    - `display(url)` is how the URL is shown (without its password);
    - `validate(url)` raises TargetError for a malformed URL (a port that is not a number).
    """

    family: str  # "file", "database", "object_store": what the policy and the reports group by
    opener: str
    display: str | None = None
    validate: str | None = None


# The registry: one line per scheme family (a new kind of store is one more line, or a
# `register` call from a plugin module).
_SCHEMES: dict[str, SchemeKind] = {}


def register(schemes: Iterable[str], kind: SchemeKind) -> None:
    """Make `scheme://…` (and `scheme+driver://…`) targets open with `kind.opener`."""
    for scheme in schemes:
        _SCHEMES[scheme.lower()] = kind


register(["sqlite", "postgres", "postgresql", "mysql", "mariadb"],
         SchemeKind("database", "scanner.sources.database:open_target", "scanner.sources.database:display_url",
                    "scanner.sources.database:check_url"))
register(["s3"], SchemeKind("object_store", "scanner.sources.objectstore:open_target"))
_PATHS = SchemeKind("file", "scanner.sources:open_local")


def known_schemes() -> list[str]:
    return sorted(_SCHEMES)


def hide_password(text: str) -> str:
    """`scheme://user:secret@host` -> `scheme://user@host`; anything else unchanged."""
    return _USERINFO.sub(lambda m: f"{m.group('head')}{m.group('user')}@" if m.group("user") else m.group("head"),
                         text)


def scheme_of(text: str) -> str | None:
    """The scheme of a URL-shaped string (lower case, without a `+driver`), None for a path."""
    if _WINDOWS_DRIVE.match(text):
        return None
    match = _SCHEME.match(text)
    return match.group("scheme").split("+", 1)[0].lower() if match else None


def is_url(text: object) -> bool:
    """True when `text` is written as a URL (`scheme://…`), whether or not piiscan knows the scheme."""
    return isinstance(text, str) and scheme_of(text) is not None


@dataclass(frozen=True)
class Target:
    """A parsed target. `display` is what every output shows; the raw text stays private."""

    display: str
    scheme: str  # "file" for a local path, else the URL scheme without its driver (`postgresql`)
    family: str  # "file", "database", "object_store"
    _raw: str = field(repr=False, compare=False)

    @property
    def is_path(self) -> bool:
        return self.family == "file"

    @property
    def path(self) -> Path:
        """The local path (only for `is_path` targets)."""
        if not self.is_path:
            raise TypeError(f"{self.display} is not a local path")
        return Path(self._raw)

    @property
    def url(self) -> str:
        """The URL as given, password included: only for the source that connects."""
        return self._raw

    def exists(self) -> bool:
        """Local paths: whether anything is there (a URL is checked when it is opened)."""
        return not self.is_path or self.path.exists() or self.path.is_symlink()

    def open(self, options: SourceOptions, stats: Any = None) -> Iterable[Dataset | SourceError]:
        """Every dataset of this target, through the source kind its scheme is registered to."""
        kind = _PATHS if self.is_path else _SCHEMES[self.scheme]
        return load(kind.opener)(self, options, stats)

    def __str__(self) -> str:
        return self.display


def parse_target(text: str | Target) -> Target:
    """Parse what the user wrote; raises TargetError for an unknown scheme or a malformed URL."""
    if isinstance(text, Target):
        return text
    text = str(text)
    scheme = scheme_of(text)
    if scheme is None:
        if not text.strip():
            raise TargetError("an empty target")
        return Target(display=scrub_name(text), scheme="file", family="file", _raw=text)
    kind = _SCHEMES.get(scheme)
    shown = hide_password(text)
    if kind is None:
        raise TargetError(f"unknown scheme {scheme!r} in {shown} (known: {', '.join(known_schemes())})")
    if kind.validate:
        load(kind.validate)(text)
    display = load(kind.display)(text) if kind.display else shown
    return Target(display=scrub_name(display), scheme=scheme, family=kind.family, _raw=text)


def parse_targets(texts: Iterable[str | Target]) -> list[Target]:
    return [parse_target(t) for t in texts]


__all__ = ["SchemeKind", "Target", "TargetError", "hide_password", "is_url", "known_schemes", "parse_target",
           "parse_targets", "register", "scheme_of"]
