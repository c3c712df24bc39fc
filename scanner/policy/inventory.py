"""The inventory as a validated object: the datastores the company knows of and what each holds.

`configs/inventory.yaml` lists datastores (file globs, SQLite files, database
URLs) and, per table or file, the purposes, recipient, date columns and fields
declared for it. Credentials never live in the inventory: a database URL takes
its password from an environment variable (`password_env`), a secrets file
(`password_file`) or the whole URL from the environment (`url_env`); a URL with
an inline password is refused.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import PrivateAttr

from scanner.configfiles import ConfigError
from scanner.policy.policy_model import Policy, StrictModel
from scanner.targets import is_url

MTIME = "mtime"  # retention date of a file: its modification time
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


class TableSpec(StrictModel):
    """One database table, or one file glob (optionally one sheet of a workbook)."""

    name: str  # table name (databases) or a path glob relative to the inventory file (files)
    sheet: str | None = None
    description: str = ""
    purposes: list[str] = []
    recipient: str | None = None  # set when the table/file is an export to someone
    retention_date: str | None = None  # one date column (or `mtime`) for every retention rule
    dates: dict[str, str] = {}  # date role (policy `runs_from`) -> column, or `mtime`
    fields: list[str] = []  # fields expected to hold personal data; globs; "*" = whole text file
    updated_at: str | None = None  # column that changes with every row update (incremental nightly runs)

    def date_column(self, role: str) -> str | None:
        return self.dates.get(role) or self.retention_date

    def declares_field(self, field: str | None) -> bool:
        if field is None:
            return "*" in self.fields
        folded = field.casefold()
        return any(fnmatch.fnmatchcase(folded, pattern.casefold()) for pattern in self.fields)


class Datastore(StrictModel):
    name: str
    description: str = ""
    owner: str
    location: str | None = None  # path glob relative to the inventory file, or a database URL
    url_env: str | None = None  # the whole database URL comes from this environment variable
    password_env: str | None = None
    password_file: str | None = None  # relative to the inventory file
    tables: list[TableSpec] = []

    @property
    def kind(self) -> Literal["files", "sqlite", "database"]:
        if self.url_env or is_url(self.location):
            return "database"
        if self.location and self.location.lower().endswith(SQLITE_SUFFIXES) and not _has_glob(self.location):
            return "sqlite"
        return "files"

    def table_spec(self, table: str | None, relative_path: str | None) -> TableSpec | None:
        """The inventory entry for a finding's table (databases) or file and sheet (files)."""
        for spec in self.tables:
            if self.kind == "files":
                if relative_path is None or not _glob_match(relative_path, spec.name):
                    continue
                if spec.sheet is not None and (table or "").casefold() != spec.sheet.casefold():
                    continue
                return spec
            if table is not None and _same_table(table, spec.name):
                return spec
        return None


@dataclass(frozen=True)
class ScanTarget:
    """What the scanner should open for one datastore (or one undeclared file found by discovery).

    `target` may carry a password (database URLs): hand it to the source, never
    print it; `display` is the same target without the password. `error` is set
    (and `target` empty) when the credentials could not be resolved: report it as
    a scan error and go on with the other targets.
    """

    datastore_name: str | None  # None: found under a `discover` root, not in the inventory
    target: str
    display: str
    error: str | None = None
    error_kind: str = "connection"  # the reason code of `error` (a folder that cannot be listed: permission)


class Inventory(StrictModel):
    version: Literal[1] = 1
    datastores: list[Datastore]
    discover: list[str] = []  # directories (relative) scanned in full to find undeclared stores

    _path: str = PrivateAttr(default="<inventory>")

    @property
    def path(self) -> str:
        return self._path

    @property
    def base_dir(self) -> Path:
        return Path(self._path).resolve().parent

    def datastore(self, name: str) -> Datastore | None:
        return next((d for d in self.datastores if d.name == name), None)

    # --- validation ---------------------------------------------------------------
    def _self_check(self) -> None:
        seen: set[str] = set()
        for i, store in enumerate(self.datastores):
            key = f"datastores[{i}]"
            if store.name in seen:
                raise ConfigError(self._path, f"{key}.name", f"duplicate datastore name {store.name!r}")
            seen.add(store.name)
            if bool(store.location) == bool(store.url_env):
                raise ConfigError(self._path, key, "give exactly one of location (path glob or URL) and url_env")
            if is_url(store.location):
                from sqlalchemy.engine import make_url
                from sqlalchemy.exc import ArgumentError

                try:
                    url = make_url(store.location)
                except ArgumentError as exc:
                    raise ConfigError(self._path, f"{key}.location", f"not a database URL ({exc})") from None
                if url.password:
                    raise ConfigError(
                        self._path,
                        f"{key}.location",
                        "the URL holds a password; take it from the environment (password_env) or a secrets file (password_file)",
                    )
            for j, spec in enumerate(store.tables):
                if spec.retention_date == MTIME or MTIME in spec.dates.values():
                    if store.kind != "files":
                        raise ConfigError(self._path, f"{key}.tables[{j}]", "mtime dates only apply to files")

    def check_against(self, policy: Policy) -> None:
        """Every purpose, recipient and date role named here must exist in the policy."""
        roles = policy.date_roles()
        for i, store in enumerate(self.datastores):
            for j, spec in enumerate(store.tables):
                key = f"datastores[{i}].tables[{j}]"
                for k, purpose in enumerate(spec.purposes):
                    if purpose not in policy.purposes:
                        raise ConfigError(
                            self._path,
                            f"{key}.purposes[{k}]",
                            f"unknown purpose {purpose!r} (policy {policy.path} defines: {', '.join(policy.purposes)})",
                        )
                if spec.recipient is not None and spec.recipient not in policy.recipients:
                    raise ConfigError(
                        self._path,
                        f"{key}.recipient",
                        f"unknown recipient {spec.recipient!r} (policy defines: {', '.join(policy.recipients)})",
                    )
                for role in spec.dates:
                    if role not in roles:
                        raise ConfigError(
                            self._path,
                            f"{key}.dates.{role}",
                            f"unknown date role (the policy's retention rules run from: {', '.join(sorted(roles))})",
                        )

    # --- targets ------------------------------------------------------------------
    def resolve_url(self, store: Datastore) -> str:
        """The connectable URL of a database datastore, credentials filled in from env / secrets file.

        Raises KeyError/OSError with a message that names the variable or file, never a secret.
        """
        from sqlalchemy.engine import make_url

        if store.url_env:
            raw = os.environ.get(store.url_env)
            if not raw:
                raise KeyError(f"environment variable {store.url_env} is not set")
            url = make_url(raw)
        else:
            assert store.location is not None
            url = make_url(store.location)
            if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
                db = Path(url.database)
                if not db.is_absolute():
                    url = url.set(database=str((self.base_dir / db).resolve()))
        password = None
        if store.password_env:
            password = os.environ.get(store.password_env)
            if password is None:
                raise KeyError(f"environment variable {store.password_env} is not set")
        elif store.password_file:
            secret = Path(store.password_file)
            secret = secret if secret.is_absolute() else self.base_dir / secret
            try:
                password = secret.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise OSError(f"cannot read password_file {store.password_file}: {exc.strerror}") from None
        if password is not None:
            url = url.set(password=password)
        return url.render_as_string(hide_password=False)

    def files_of(self, store: Datastore) -> list[Path]:
        """The files a file (or SQLite) datastore's location glob matches today, sorted."""
        assert store.location is not None
        pattern = store.location
        if Path(pattern).is_absolute():
            anchor, rel = Path(pattern).anchor, str(Path(pattern).relative_to(Path(pattern).anchor))
            return sorted(p for p in Path(anchor).glob(rel) if p.is_file())
        return sorted(p.resolve() for p in self.base_dir.glob(pattern) if p.is_file())

    def scan_targets(self, base_dir: str | os.PathLike[str] | None = None) -> list[ScanTarget]:
        """One target per database, SQLite file or matched file; then undeclared files under `discover`.

        `base_dir` overrides the directory relative locations resolve against
        (default: the inventory file's folder).
        """
        inv = self if base_dir is None else self._rebased(Path(base_dir))
        targets: list[ScanTarget] = []
        claimed: set[Path] = set()
        for store in inv.datastores:
            if store.kind == "database":
                try:
                    url = inv.resolve_url(store)
                except (KeyError, OSError) as exc:
                    shown = store.location or f"${store.url_env}"
                    targets.append(ScanTarget(store.name, "", shown, error=str(exc).strip("'\"")))
                    continue
                targets.append(ScanTarget(store.name, url, redact_url(url)))
                if url.startswith("sqlite"):
                    from sqlalchemy.engine import make_url

                    claimed.add(Path(make_url(url).database or "").resolve())
                continue
            for path in inv.files_of(store):
                claimed.add(path)
                targets.append(ScanTarget(store.name, str(path), inv.relative(path)))
        for root in inv.discover:
            root_path = (inv.base_dir / root).resolve()
            unreadable: list[OSError] = []  # a folder that cannot be listed is an error entry, never skipped silently
            found: list[Path] = []
            for folder, dirs, files in os.walk(root_path, onerror=unreadable.append):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found += [Path(folder) / f for f in files if not f.startswith(".")]
            for exc in unreadable:
                where = Path(exc.filename) if exc.filename else root_path
                targets.append(ScanTarget(None, "", inv.relative(where),
                                          error=f"cannot list this folder: {exc.strerror or type(exc).__name__}",
                                          error_kind="permission" if isinstance(exc, PermissionError) else "read_error"))
            for path in sorted(p for p in found if p.is_file()):
                if path.resolve() not in claimed:
                    targets.append(ScanTarget(None, str(path), inv.relative(path)))
        return targets

    def relative(self, path: Path) -> str:
        try:
            return Path(os.path.relpath(path, self.base_dir)).as_posix()
        except ValueError:  # another drive on Windows
            return path.as_posix()

    def _rebased(self, base_dir: Path) -> Inventory:
        clone = self.model_copy()
        clone._path = str(base_dir.resolve() / Path(self._path).name)
        return clone


# --------------------------------------------------------------------------- helpers
def redact_url(url: str) -> str:
    """A database URL fit for output: no password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    # URL.set(password=None) means "unchanged"; the URL is a named tuple, so replace the field
    return parsed._replace(password=None).render_as_string(hide_password=False) if parsed.password else url


def _has_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


def _glob_match(relative_path: str, pattern: str) -> bool:
    path = PurePosixPath(relative_path)
    return fnmatch.fnmatchcase(relative_path, pattern) or path.match(pattern)


def _same_table(found: str, declared: str) -> bool:
    found_f, declared_f = found.casefold(), declared.casefold()
    if found_f == declared_f:
        return True
    # `public.bookings` found, `bookings` declared (or the other way round)
    return found_f.rsplit(".", 1)[-1] == declared_f.rsplit(".", 1)[-1] and "." in (found_f + declared_f)
