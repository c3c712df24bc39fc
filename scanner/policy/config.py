"""The policy and the inventory as validated objects.

`configs/policy.yaml` encodes what the privacy policy (and PCI DSS) allow: data
categories, purposes with their clauses, recipients, retention rules and how
each violation kind is rated. `configs/inventory.yaml` lists the datastores the
company knows of and what each table or file is declared to be for. Both are
checked here, once, so that the evaluation never meets a dangling reference:
every problem becomes one `ConfigError` naming the file, the key and the problem.

Credentials never live in the inventory: a database URL takes its password from
an environment variable (`password_env`), a secrets file (`password_file`) or the
whole URL from the environment (`url_env`); a URL with an inline password is
refused.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from scanner.configfiles import ConfigError, find_config

__all__ = ["ConfigError", "Inventory", "Policy", "ScanTarget", "load_inventory", "load_policy"]

Severity = Literal["critical", "high", "medium", "low"]
KINDS = (
    "purpose_not_permitted",
    "prohibited_data",
    "clear_pan",
    "retention_exceeded",
    "shadow_data",
    "recipient_excess",
)
Kind = Literal[
    "purpose_not_permitted",
    "prohibited_data",
    "clear_pan",
    "retention_exceeded",
    "shadow_data",
    "recipient_excess",
]
# Entity types no category claims fall here, so a new recognizer never crashes the evaluation.
UNCATEGORISED = "uncategorised"
MTIME = "mtime"  # retention date of a file: its modification time
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


class _Strict(BaseModel):
    """Unknown keys are typos more often than intent: refuse them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- policy
class Prohibition(_Strict):
    always: bool = True  # False: prohibited unless a declared purpose allows the category
    clause: str


class Category(_Strict):
    description: str = ""
    entities: list[str] = Field(min_length=1)
    sensitivity: Severity = "medium"
    identifies_person: bool = False  # counts towards the number of people in the impact
    appi: Literal["special_care", "financial"] | None = None
    prohibited: Prohibition | None = None


class Allowance(_Strict):
    """What a purpose allows or a recipient may receive: whole categories and/or single entity types."""

    title: str
    clause: str
    categories: list[str] = []
    entities: list[str] = []
    note: str = ""

    def allows(self, entity_type: str, category: str) -> bool:
        return category in self.categories or entity_type in self.entities


class Purpose(Allowance):
    pass


class Recipient(Allowance):
    kind: Literal["shared_use", "third_party", "entrusted"] = "third_party"
    members: list[str] = []


class RetentionRule(_Strict):
    days: int = Field(ge=0)
    runs_from: str  # a date role; the inventory maps it to a column per table
    clause: str


class Rule(_Strict):
    severity: Severity | Literal["from_category"]
    clause: str | None = None
    remediation: str
    entities: list[str] = []  # clear_pan: the entity types that are a PAN in clear


class ImpactRule(_Strict):
    clause: str = "APPI Art. 26; Enforcement Rules Art. 7"
    reportable_people: int = Field(default=1000, ge=0)


class Policy(_Strict):
    version: Literal[1] = 1
    name: str
    source: str = ""
    categories: dict[str, Category]
    purposes: dict[str, Purpose]
    recipients: dict[str, Recipient] = {}
    retention: dict[str, RetentionRule] = {}
    rules: dict[Kind, Rule]
    impact: ImpactRule = ImpactRule()

    _path: str = PrivateAttr(default="<policy>")
    _category_of: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("rules")
    @classmethod
    def _every_kind_rated(cls, rules: dict[str, Rule]) -> dict[str, Rule]:
        missing = [k for k in KINDS if k not in rules]
        if missing:
            raise ValueError(f"missing rule(s) for {', '.join(missing)}")
        return rules

    @property
    def path(self) -> str:
        return self._path

    def category_of(self, entity_type: str) -> str:
        return self._category_of.get(entity_type, UNCATEGORISED)

    def sensitivity(self, category: str) -> str:
        cat = self.categories.get(category)
        return cat.sensitivity if cat else "medium"

    def date_roles(self) -> set[str]:
        return {r.runs_from for r in self.retention.values()}

    def _cross_check(self) -> None:
        """References between sections, checked once so evaluation never meets a dangling name."""
        for name, cat in self.categories.items():
            for i, entity in enumerate(cat.entities):
                if entity in self._category_of:
                    raise ConfigError(
                        self._path,
                        f"categories.{name}.entities[{i}]",
                        f"{entity} already belongs to category {self._category_of[entity]!r}; an entity type belongs to one category",
                    )
                self._category_of[entity] = name
        for section, items in (("purposes", self.purposes), ("recipients", self.recipients)):
            for name, item in items.items():
                for i, cat in enumerate(item.categories):
                    self._known_category(f"{section}.{name}.categories[{i}]", cat)
                for i, entity in enumerate(item.entities):
                    if entity not in self._category_of:
                        raise ConfigError(
                            self._path, f"{section}.{name}.entities[{i}]", f"unknown entity type {entity!r}; add it to a category first"
                        )
        for name in self.retention:
            self._known_category(f"retention.{name}", name)

    def _known_category(self, key: str, name: str) -> None:
        if name not in self.categories:
            raise ConfigError(self._path, key, f"unknown category {name!r}; known: {', '.join(sorted(self.categories))}")


# --------------------------------------------------------------------------- inventory
class TableSpec(_Strict):
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


class Datastore(_Strict):
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
        if self.url_env or (self.location and "://" in self.location):
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


class Inventory(_Strict):
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
            if store.location and "://" in store.location:
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
            for path in sorted(p for p in root_path.rglob("*") if p.is_file()):
                if path.resolve() in claimed or any(part.startswith(".") for part in path.relative_to(root_path).parts):
                    continue
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


def _key(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "(file)", f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(yaml)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), where, f"invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), "(top level)", "expected a mapping of keys to values")
    return data


def _validate(model: type[BaseModel], path: Path, data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        problem = first["msg"]
        if first["type"] == "extra_forbidden":
            problem = "unknown key"
        if len(exc.errors()) > 1:
            problem += f" (and {len(exc.errors()) - 1} more problem(s))"
        raise ConfigError(str(path), _key(first["loc"]), problem) from None


def _locate(path: str | os.PathLike[str] | None, name: str) -> Path:
    if path is not None:
        return Path(path)
    found = find_config(name)
    if found is None:
        raise ConfigError(f"configs/{name}", "(file)", "not found beside the working directory and no packaged default")
    return found


def load_policy(path: str | os.PathLike[str] | None = None) -> Policy:
    """Load and check a policy file (default: configs/policy.yaml, else the packaged default)."""
    file = _locate(path, "policy.yaml")
    policy: Policy = _validate(Policy, file, _read_yaml(file))
    policy._path = str(file)
    policy._cross_check()
    return policy


def load_inventory(path: str | os.PathLike[str] | None = None, policy: Policy | None = None) -> Inventory:
    """Load and check an inventory file; with `policy`, also check its purposes, recipients and dates."""
    file = _locate(path, "inventory.yaml")
    inventory: Inventory = _validate(Inventory, file, _read_yaml(file))
    inventory._path = str(file)
    inventory._self_check()
    if policy is not None:
        inventory.check_against(policy)
    return inventory
