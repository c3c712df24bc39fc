"""Placing a finding in the inventory: which datastore, which table or file entry, which labels.

How a finding's `source` is placed (first that applies):
1. `finding["datastore"]`, when the caller tagged the finding with the name of
   the inventory datastore it scanned (`ScanTarget.datastore_name`);
2. a database URL (password removed) compared on backend, host, port and database;
3. a path: `scan_root_map[source]` (a file, or the directory the relative source
   is relative to; key `"*"` gives one directory for all sources), else the
   source itself if absolute, else relative to the inventory file's folder, else
   any inventory file whose path ends with the source.
Findings that land in no datastore are shadow data in an undeclared store.

Labels show a file path once, as the scan named it (relative to what was
scanned): a declared file store is `<datastore>` + `<path>[#sheet]`, an
undeclared file is `<path>` + its sheet or table. The path relative to the
inventory is used only to match the inventory's globs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanner.policy.config import Datastore, Inventory, TableSpec
from scanner.targets import scheme_of


@dataclass
class Placement:
    """Where a finding sits in the inventory."""

    datastore: Datastore | None
    spec: TableSpec | None
    datastore_label: str  # inventory name, or the source itself for an undeclared store
    table_label: str | None  # DB table, or the file path as scanned (+ "#sheet") in a declared file store
    path: Path | None = None  # absolute file path (files and SQLite)
    url: str | None = None  # connectable URL (databases)



def _url_key(url: str) -> tuple[str, str | None, int | None, str | None] | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    backend = parsed.get_backend_name()
    backend = "mysql" if backend == "mariadb" else backend
    return backend, (parsed.host or "").casefold() or None, parsed.port, parsed.database


class Locator:
    """Maps finding sources to inventory datastores (see the module docstring)."""

    def __init__(self, inventory: Inventory, scan_root_map: Mapping[str, str | os.PathLike[str]] | None):
        self.inventory = inventory
        self.roots = {k: Path(v) for k, v in (scan_root_map or {}).items()}
        self.file_owner: dict[Path, Datastore] = {}
        self.db_keys: list[tuple[Any, Datastore, str]] = []
        self._files: dict[tuple[str, int], tuple[Path, str, Datastore | None]] = {}
        for store in inventory.datastores:
            if store.kind == "database":
                try:
                    url = inventory.resolve_url(store)
                except (KeyError, OSError):
                    continue
                self.db_keys.append((_url_key(url), store, url))
                if url.startswith("sqlite"):
                    from sqlalchemy.engine import make_url

                    self.file_owner[Path(make_url(url).database or "").resolve()] = store
            else:
                for path in inventory.files_of(store):
                    self.file_owner[path] = store

    def _candidates(self, source: str) -> Iterable[Path]:
        for key in (source, "*"):
            if key in self.roots:
                root = self.roots[key]
                yield (root / source) if root.is_dir() else root
        path = Path(source)
        if path.is_absolute():
            yield path
            return
        yield self.inventory.base_dir / path
        tail = "/" + path.as_posix().lstrip("./")
        yield from (known for known in self.file_owner if known.as_posix().endswith(tail))

    def place(self, finding: Mapping[str, Any]) -> Placement:
        source = shown = str(finding.get("source") or "")
        table = finding.get("table")
        tagged = self.inventory.datastore(finding["datastore"]) if finding.get("datastore") else None
        scheme = scheme_of(source)
        if scheme is not None and scheme != "sqlite":
            return self._place_url(source, table, tagged)
        if scheme == "sqlite":
            from sqlalchemy.engine import make_url

            source = make_url(source).database or source
        path, rel, store = self._file(source, tagged)
        if store is not None and store.kind != "files":  # SQLite file: tables inside it
            url = f"sqlite:///{path.as_posix()}"
            return Placement(store, store.table_spec(table, None), store.name, table, path=path, url=url)
        if store is None:  # an undeclared file is its own store: its path once, then the sheet or table
            return Placement(None, None, shown, table, path=path)
        # A declared file store: the file as the scan named it (relative to what was scanned), + "#sheet".
        label = shown + (f"#{table}" if table else "")
        return Placement(store, store.table_spec(table, rel), store.name, label, path=path)

    def _file(self, source: str, tagged: Datastore | None) -> tuple[Path, str, Datastore | None]:
        """(resolved path, path relative to the inventory, owning datastore) of a file source; once
        per source: every column and line of a file is placed, and resolving touches the disk."""
        key = (source, id(tagged))
        known = self._files.get(key)
        if known is not None:
            return known
        resolved: Path | None = None
        store = tagged
        for candidate in self._candidates(source):
            candidate = candidate.resolve()
            if candidate in self.file_owner:
                resolved, store = candidate, store or self.file_owner[candidate]
                break
            if resolved is None and candidate.exists():
                resolved = candidate
        path = resolved or (self.inventory.base_dir / source).resolve()
        rel = self.inventory.relative(path)  # matched against the inventory's globs, never shown
        if store is None:
            store = next(
                (s for s in self.inventory.datastores if s.kind == "files" and s.location and Path(rel).match(s.location)),
                None,
            )
        self._files[key] = (path, rel, store)
        return path, rel, store

    def _place_url(self, source: str, table: str | None, tagged: Datastore | None) -> Placement:
        key = _url_key(source)
        for store_key, store, url in self.db_keys:
            if (tagged is not None and store is tagged) or (tagged is None and key is not None and store_key == key):
                return Placement(store, store.table_spec(table, None), store.name, table, url=url)
        return Placement(None, None, source, table)
