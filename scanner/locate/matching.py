"""Deciding whether a row or a line is the person: salted hashes, row rules, strength.

Every identifier is reduced to its key (normalise.py) and kept as an HMAC-SHA256
of `kind + key` under the installation's salt. A cell is normalised the same
way and its hash looked up, so one pass over a source serves one person or ten
thousand (bulk mode for a breach or a list of closed accounts), and the audit
can record which identifiers were asked for without holding them.

A row is reported for a person only when the identifiers given agree in it:

- a single-valued identifier (birth date, passport, JMB, My Number) that the
  row holds with another value makes it another person (the look-alike with
  the same name and another birth date); so does another e-mail or phone in a
  row that only the name matched;
- strength: `strong` when two kinds agree (name + birth date, e-mail + name),
  `medium` for one identifier that points at one person by itself (e-mail,
  phone, passport, JMB, My Number), `weak` for a name alone (labelled so); a
  birth date or a card's last four alone is not reported.

Running text (logs, free-text columns) is searched for the same keys: e-mails,
digit runs and dates are cut out and hashed; names are found as whole names in
the spellings derived for them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from scanner.locate import normalise as norm
from scanner.locate.identifiers import SINGLE_VALUED, UNIQUE_KINDS, Person

STRONG, MEDIUM, WEAK = "strong", "medium", "weak"
STRENGTH_ORDER = {STRONG: 3, MEDIUM: 2, WEAK: 1}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RUN = re.compile(r"\+?\(?\d[\d\-\s().]{5,}\d")
_PASSPORT = re.compile(r"(?<![a-z0-9])[a-z]{1,2}\d{6,8}(?![0-9])")
_DATE = re.compile(r"(?:明治|大正|昭和|平成|令和|[mtshr])?\s?\d{1,4}\s?[年/.\-]\s?\d{1,2}\s?[月/.\-]\s?\d{1,2}日?|"
                   r"(?<!\d)(?:19|20)\d{6}(?!\d)")
_BIRTH_CONTEXT = re.compile(r"(?:生年月日|誕生日|生まれ|birth|dob|born)[^0-9明大昭平令]{0,12}")


def digest(salt: bytes, kind: str, key: str) -> str:
    return hmac.new(salt, f"{kind}\x00{key}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Hit:
    """One field (or line) agreeing with one identifier kind of one person."""

    person: int
    kind: str
    field: str | None
    exact: bool
    part: str = "full"  # names: full | family | given


@dataclass
class Verdict:
    """What one row or line says about one person."""

    person: int
    hits: list[Hit] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    strength: str | None = None  # None: not reported
    conflict: bool = False


class Matcher:
    """The people of a run as salted hashes of their keys, and the text forms of their names."""

    def __init__(self, people: list[Person], salt: bytes):
        self.people = people
        self._salt = salt
        self._index: dict[str, list[tuple[int, str, str]]] = {}
        self._names: dict[str, set[int]] = {}
        self._raw: list[set[str]] = []
        for i, person in enumerate(people):
            for kind, keys in person.keys.items():
                for k in keys:
                    self._add(kind, k, i, "full")
            for part, keys in (("family", person.names.family), ("given", person.names.given)):
                for k in keys:
                    self._add("name", k, i, part)
            for form in person.names.text_forms:
                self._names.setdefault(form, set()).add(i)
            raw = {v.strip() for values in person.given.values() for v in values}
            raw |= {t for k in ("name", "kana") for v in person.given.get(k, ()) for t in v.split()}
            self._raw.append(raw)
        forms = sorted(self._names, key=len, reverse=True)
        self._name_re = re.compile("|".join(_bounded(f) for f in forms)) if forms else None
        self.kinds = {kind for p in people for kind in p.match_kinds}

    def _add(self, kind: str, key: str, person: int, part: str) -> None:
        self._index.setdefault(digest(self._salt, kind, key), []).append((person, kind, part))

    def hashes(self, person: Person) -> list[str]:
        """The salted hashes of one person's keys (what the audit records)."""
        return sorted({digest(self._salt, kind, k) for kind, keys in person.keys.items() for k in keys})

    def lookup(self, kind: str, value: object) -> list[tuple[int, str]]:
        """(person, part) for every person whose `kind` identifier `value` is, in any spelling."""
        k = norm.key(kind, value)
        if k is None:
            return []
        return [(p, part) for p, kd, part in self._index.get(digest(self._salt, kind, k), ()) if kd == kind]

    def is_exact(self, person: int, value: object) -> bool:
        return str(value).strip() in self._raw[person]

    # --- rows -------------------------------------------------------------------------
    def row(self, values: Mapping[str, object], fields: Mapping[str, Iterable[str]],
            text_fields: Mapping[str, Iterable[str]] = ()) -> list[Verdict]:
        """Verdicts for every person the row mentions. `fields`: value field -> match kinds;
        `text_fields`: free-text field -> match kinds searched inside it."""
        verdicts: dict[int, Verdict] = {}
        for name, kinds in fields.items():
            value = values.get(name)
            if value is None or str(value).strip() == "":
                continue
            for kind in kinds:
                for person, part in self.lookup(kind, value):
                    hit = Hit(person, kind, name, self.is_exact(person, value), part)
                    verdicts.setdefault(person, Verdict(person)).hits.append(hit)
        for name, kinds in dict(text_fields).items():
            value = values.get(name)
            if value:
                for hit in self.text(str(value), set(kinds), name):
                    verdicts.setdefault(hit.person, Verdict(hit.person)).hits.append(hit)
        for verdict in verdicts.values():
            self._judge(verdict, values, fields)
        return [v for v in verdicts.values() if v.strength]

    def _judge(self, verdict: Verdict, values: Mapping[str, object], fields: Mapping[str, Iterable[str]]) -> None:
        person = self.people[verdict.person]
        kinds = {h.kind for h in verdict.hits if h.kind != "name" or h.part == "full"}
        parts = {(h.part, h.field) for h in verdict.hits if h.kind == "name" and h.part != "full"}
        families = {f for p, f in parts if p == "family"}
        givens = {f for p, f in parts if p == "given"}
        if families and givens and (len(families | givens) > 1):
            kinds.add("name")
        verdict.kinds = kinds
        for name, field_kinds in fields.items():
            value = values.get(name)
            for kind in field_kinds:
                if not person.keys.get(kind):  # nothing given to disagree with
                    continue
                theirs = norm.key(kind, value) if value is not None else None
                if theirs is None or theirs in person.keys[kind]:
                    continue
                if kind in SINGLE_VALUED or (kind in ("email", "phone") and not kinds & set(UNIQUE_KINDS)):
                    if kind not in kinds:  # a second e-mail beside the matching one is not a conflict
                        verdict.conflict = True
        verdict.strength = None if verdict.conflict else strength_of(kinds)

    # --- running text -----------------------------------------------------------------
    def text(self, text: str, kinds: set[str], field_name: str | None = None) -> list[Hit]:
        """Hits in one line or free-text value; a birth date written beside the name that
        differs from the person's removes that person's hits from this text."""
        low = norm.nfkc(text).lower().translate(norm.KYUJITAI)
        hits: list[Hit] = []
        if "email" in kinds:
            for m in _EMAIL.finditer(low):
                hits += self._hits("email", m.group(0), field_name, text)
        digit_kinds = kinds & {"phone", "jmb", "my_number"}
        if digit_kinds:
            for m in _DIGIT_RUN.finditer(low):
                for piece in {m.group(0), *m.group(0).split()}:
                    for kind in digit_kinds:
                        hits += self._hits(kind, piece, field_name, text)
        if "passport" in kinds:
            for m in _PASSPORT.finditer(low):
                hits += self._hits("passport", m.group(0), field_name, text)
        if "birth_date" in kinds:
            for m in _DATE.finditer(low):
                hits += self._hits("birth_date", m.group(0).replace(" ", ""), field_name, text)
        if "name" in kinds and self._name_re is not None:
            for m in self._name_re.finditer(low):
                for person in self._names.get(m.group(0), ()):
                    hits.append(Hit(person, "name", field_name, self.is_exact(person, m.group(0))))
        if hits:
            wrong = self._other_birth_dates(low)
            hits = [h for h in hits if h.person not in wrong]
        return list(dict.fromkeys(hits))

    def _hits(self, kind: str, value: str, field_name: str | None, original: str) -> list[Hit]:
        return [Hit(p, kind, field_name, self.is_exact(p, value) or value in original)
                for p, part in self.lookup(kind, value) if part == "full"]

    def _other_birth_dates(self, low: str) -> set[int]:
        """People whose birth date is given while this text names another one after a birth label."""
        wrong: set[int] = set()
        for m in _BIRTH_CONTEXT.finditer(low):
            date = _DATE.match(low, m.end())
            written = norm.birth_date_key(date.group(0).replace(" ", "")) if date else None
            if written is None:
                continue
            for i, person in enumerate(self.people):
                dates = person.keys.get("birth_date")
                if dates and written not in dates:
                    wrong.add(i)
        return wrong

    def line_verdicts(self, text: str, kinds: set[str]) -> list[Verdict]:
        """Verdicts for one line of a text file (one line is one record)."""
        verdicts: dict[int, Verdict] = {}
        for hit in self.text(text, kinds):
            verdicts.setdefault(hit.person, Verdict(hit.person)).hits.append(hit)
        for verdict in verdicts.values():
            verdict.kinds = {h.kind for h in verdict.hits}
            verdict.strength = strength_of(verdict.kinds)
        return [v for v in verdicts.values() if v.strength]


def strength_of(kinds: set[str]) -> str | None:
    """strong: two kinds agree; medium: one identifier that points at one person; weak: a name alone."""
    kinds = set(kinds)
    counted = kinds - {"card_last4"} if len(kinds) > 1 else kinds
    if len(counted) >= 2 and (counted & set(UNIQUE_KINDS) or "name" in counted):
        return STRONG
    if counted & set(UNIQUE_KINDS):
        return MEDIUM
    if counted == {"name"}:
        return WEAK
    return None


def _bounded(form: str) -> str:
    """A name form as a regex: Latin forms only as whole words."""
    escaped = re.escape(form)
    return f"(?<![a-z]){escaped}(?![a-z])" if norm.is_latin(form) else escaped
