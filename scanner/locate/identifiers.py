"""The person a request is about: the identifiers given, their keys and spellings.

Identifiers arrive from options (`--email`, `--name`...), or from a file or
stdin (`--from-file F`, `-`) so that they stay out of the shell history: JSON
(one object or a list), JSON lines, CSV with a header, or YAML, each record one
person with the same keys as the options (`email`, `phone`, `name`, `kana`,
`birth_date`, `passport`, `jmb`, `my_number`, `card_last4`; a value may be a
list). A `Person` never shows its identifiers: its repr names the kinds only.

Kinds map to the entity types the scan classifies fields with (taken from the
recognizers, so scanner/ names no entity type). `name` and `kana` are one kind
for matching (a person's name, in any script); the audit keeps both.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from scanner.locate import normalise as norm

KINDS = ("email", "phone", "name", "kana", "birth_date", "passport", "jmb", "my_number", "card_last4")
UNIQUE_KINDS = ("email", "phone", "passport", "jmb", "my_number")  # point at one person by themselves
SINGLE_VALUED = ("birth_date", "passport", "jmb", "my_number")  # a different value in a row: another person
_ALIASES = {"birth-date": "birth_date", "dob": "birth_date", "birthdate": "birth_date", "my-number": "my_number",
            "mynumber": "my_number", "card-last4": "card_last4", "last4": "card_last4", "mail": "email",
            "tel": "phone", "furigana": "kana"}


class IdentifierError(ValueError):
    """An identifier that cannot be used; the message names the kind, never the value."""


@cache
def entity_types() -> dict[str, tuple[str, ...]]:
    """Match kind -> the entity types of the fields and texts it is searched in."""
    from recognizers.card import CreditCardRecognizer, MaskedCardRecognizer
    from recognizers.date_of_birth import DateOfBirthRecognizer
    from recognizers.email import EmailRecognizer
    from recognizers.jmb import JmbRecognizer
    from recognizers.my_number import MyNumberRecognizer
    from recognizers.passport import PassportRecognizer
    from recognizers.person import PersonRecognizer
    from recognizers.phone import PhoneRecognizer

    return {
        "email": (EmailRecognizer.ENTITY,), "phone": (PhoneRecognizer.ENTITY,), "name": (PersonRecognizer.ENTITY,),
        "birth_date": (DateOfBirthRecognizer.ENTITY,), "passport": (PassportRecognizer.ENTITY,),
        "jmb": (JmbRecognizer.ENTITY,), "my_number": (MyNumberRecognizer.ENTITY,),
        "card_last4": (CreditCardRecognizer.ENTITY, MaskedCardRecognizer.ENTITY),
    }


def kinds_of_entity(entity_type: str) -> list[str]:
    return [kind for kind, types in entity_types().items() if entity_type in types]


@dataclass(frozen=True)
class NameForms:
    """Keys of a whole name and of its parts, for cells holding either."""

    full: frozenset[str] = frozenset()
    family: frozenset[str] = frozenset()
    given: frozenset[str] = frozenset()
    spellings: frozenset[str] = frozenset()  # concrete strings (no spaces) a lookup binds
    text_forms: frozenset[str] = frozenset()  # whole names as running text may hold them (NFKC, lower)


@dataclass(frozen=True, repr=False)
class Person:
    """One data subject. `given` keeps the values as typed (for the audit's kinds only)."""

    label: str  # "person 1": how reports refer to them, never an identifier
    given: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keys: dict[str, frozenset[str]] = field(default_factory=dict)  # match kind -> canonical keys
    names: NameForms = NameForms()

    def __repr__(self) -> str:
        return f"Person({self.label!r}, kinds={sorted(self.given)})"

    @property
    def match_kinds(self) -> list[str]:
        return [k for k in entity_types() if self.keys.get(k)]

    def spellings(self, kind: str) -> set[str]:
        """Concrete strings a column of this kind may hold (bound as parameters by a lookup)."""
        if kind == "name":
            return set(self.names.spellings)
        out: set[str] = set()
        for value in self.keys.get(kind, ()):
            if kind == "phone":
                out |= norm.phone_spellings(value)
            elif kind == "birth_date":
                import datetime as dt

                out |= norm.date_spellings(dt.date.fromisoformat(value))
            elif kind == "email":
                out |= {value, value.upper()} | {v for v in self.given.get("email", ()) if norm.email_key(v) == value}
            elif kind == "jmb":
                out |= norm.digit_spellings(value) | (norm.digit_spellings("00" + value) if len(value) == 7 else set())
            elif kind in ("my_number",):
                out |= norm.digit_spellings(value) | {f"{value[:4]}-{value[4:8]}-{value[8:]}",
                                                      f"{value[:4]} {value[4:8]} {value[8:]}"}
            else:
                out |= {value} | norm.digit_spellings(value)
        return out


def build_person(label: str, values: dict[str, list[str] | str]) -> Person:
    """Validate and normalise one person's identifiers (errors name the kind, never the value)."""
    given: dict[str, tuple[str, ...]] = {}
    for raw_kind, raw in values.items():
        kind = _ALIASES.get(str(raw_kind).strip().lower(), str(raw_kind).strip().lower())
        if kind not in KINDS:
            raise IdentifierError(f"{label}: unknown identifier kind {raw_kind!r} (use {', '.join(KINDS)})")
        items = [raw] if isinstance(raw, (str, int)) else list(raw or [])
        cleaned = tuple(str(v).strip() for v in items if v is not None and str(v).strip())
        if cleaned:
            given[kind] = given.get(kind, ()) + cleaned
    if not given:
        raise IdentifierError(f"{label}: no identifier given")
    keys: dict[str, frozenset[str]] = {}
    for kind, items in given.items():
        if kind in ("name", "kana"):
            continue
        found = set()
        for value in items:
            k = norm.key(kind, value)
            if k is None:
                raise IdentifierError(f"{label}: the {kind.replace('_', ' ')} given is not a valid one")
            found.add(k)
        keys[kind] = frozenset(found)
    names = name_forms(given.get("name", ()), given.get("kana", ()))
    if names.full:
        keys["name"] = names.full
    return Person(label, given, keys, names)


# --- names ----------------------------------------------------------------------------

@cache
def _readings() -> dict[str, set[str]]:
    """Written form -> katakana readings, from the recognizers' name lists (package data)."""
    out: dict[str, set[str]] = {}
    for name in ("ja_surnames.tsv", "ja_given_names.tsv"):
        text = files("recognizers").joinpath("data", name).read_text(encoding="utf-8")
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and not line.startswith("#"):
                out.setdefault(parts[0], set()).add(parts[1])
    return out


def split_name(value: str) -> tuple[str, str] | None:
    """(family, given) of a name typed with a space, `/` or `,`, or a Japanese name the lists can split."""
    text = norm.nfkc(value)
    for sep in ("/", ","):
        if sep in text:
            a, b = (p.strip() for p in text.split(sep, 1))
            return (a, b) if a and b else None
    parts = text.split()
    if len(parts) == 2:
        return parts[0], parts[1]
    if len(parts) == 1 and not text.isascii():
        from recognizers.person import lexicon

        surnames = lexicon().ja_surnames
        run = text.translate(norm.KYUJITAI)
        for i in range(len(run) - 1, 0, -1):  # the longest known surname, then the given name
            if run[:i] in surnames:
                return text[:i], text[i:]
    return None


def _script_forms(part: str) -> set[str]:
    """A name part in every script piiscan can derive: kanji (+旧字体), kana forms, romaji variants."""
    part = norm.nfkc(part)
    out = norm.kyujitai_variants(part) if not part.isascii() else {part}
    for reading in _readings().get(part.translate(norm.KYUJITAI), set()):
        out |= _kana_and_romaji(reading)
    if _is_kana(part):
        out |= _kana_and_romaji(part)
    return out


def _kana_and_romaji(kana: str) -> set[str]:
    out = norm.kana_forms(kana)
    return out | norm.romaji_variants(kana)


def _script(text: str) -> str:
    return "latin" if norm.is_latin(text) else ("kana" if _is_kana(text) else "kanji")


def _is_kana(text: str) -> bool:
    import jaconv

    hira = jaconv.kata2hira(norm.nfkc(text))
    return bool(hira) and all("\u3041" <= c <= "\u309f" or c == "ー" for c in hira)


def name_forms(names: tuple[str, ...], kanas: tuple[str, ...]) -> NameForms:
    full: set[str] = set()
    family: set[str] = set()
    given: set[str] = set()
    spellings: set[str] = set()
    text_forms: set[str] = set()
    for value in (*names, *kanas):
        split = split_name(value)
        whole = _script_forms(value.replace(" ", "").replace("\u3000", "")) if split is None else set()
        if split is not None:
            fam, giv = (_script_forms(p) for p in split)
            family |= {norm.fold_name(f) for f in fam}
            given |= {norm.fold_name(g) for g in giv}
            for f, g in ((f, g) for f in fam for g in giv if _script(f) == _script(g)):
                latin = _script(f) == "latin"
                whole |= {f + g, g + f} if latin else {f + g}
                for sep in (" ", "\u3000", "/", ", ", "\u30fb"):
                    text_forms.add(norm.nfkc(f + sep + g).lower())
                    if latin:
                        text_forms.add(norm.nfkc(g + sep + f).lower())
            spellings |= {p.lower() for p in fam | giv}
        spellings |= {w.lower() for w in whole}
        full |= {norm.fold_name(w) for w in whole}
        text_forms |= {norm.nfkc(w).lower() for w in whole}
    full.discard("")
    return NameForms(frozenset(full), frozenset(family - {""}), frozenset(given - {""}),
                     frozenset(spellings), frozenset(t for t in text_forms if len(t) >= 2))


# --- reading people from a file or stdin -----------------------------------------------

def parse_people(text: str, source_name: str = "input") -> list[dict[str, list[str] | str]]:
    """Records from JSON, JSON lines, YAML or CSV (tried in that order of likelihood)."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise IdentifierError(f"{source_name}: no person given")
    if stripped[0] in "[{":
        try:
            doc = json.loads(stripped)
            return _records(doc, source_name)
        except json.JSONDecodeError:
            try:
                return [_record(json.loads(line), source_name) for line in stripped.splitlines() if line.strip()]
            except (json.JSONDecodeError, IdentifierError):
                pass
    first = stripped.splitlines()[0]
    if "," in first and ":" not in first:
        rows = list(csv.DictReader(io.StringIO(stripped)))
        return [{k: v for k, v in row.items() if k and v} for row in rows]
    import yaml

    try:
        doc = yaml.safe_load(stripped)
    except yaml.YAMLError:
        raise IdentifierError(f"{source_name}: not JSON, JSON lines, CSV or YAML") from None
    return _records(doc, source_name)


def _records(doc: object, source_name: str) -> list[dict]:
    if isinstance(doc, dict) and isinstance(doc.get("people"), list):
        doc = doc["people"]
    if isinstance(doc, dict):
        return [_record(doc, source_name)]
    if isinstance(doc, list):
        return [_record(item, source_name) for item in doc]
    raise IdentifierError(f"{source_name}: expected one person (a mapping) or a list of them")


def _record(item: object, source_name: str) -> dict:
    if not isinstance(item, dict):
        raise IdentifierError(f"{source_name}: each person must be a mapping of identifier kinds to values")
    return item


def people_from(options: dict[str, tuple[str, ...]], from_file_text: str | None = None,
                source_name: str = "input") -> list[Person]:
    """Everyone a run is about: one person from the options, and/or every record of the file."""
    people: list[Person] = []
    given = {k: list(v) for k, v in options.items() if v}
    if given:
        people.append(build_person("person 1", given))
    if from_file_text is not None:
        for record in parse_people(from_file_text, source_name):
            people.append(build_person(f"person {len(people) + 1}", record))
    if not people:
        raise IdentifierError("give at least one identifier (--email, --name, ... or --from-file)")
    return people
