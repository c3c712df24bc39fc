"""Names as data: the word lists, romaji folding and the name-shape checks PERSON uses.

Why apart from `recognizers.person`: the recognizer (patterns, context, column rules)
and the knowledge of names (which tokens are surnames or given names in Japanese,
romaji and Western spelling; how a run without spaces splits) change for different
reasons, and the lists are also what a name column is judged by. See
recognizers/data/README.md for where the lists come from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import jaconv

from recognizers.base import normalize

# One character of a Japanese name: kanji (incl. extension A), 々, hiragana, katakana, ー.
JA = r"[々〆ヶ\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff]"
JA_RE2 = r"[々〆ヶ\x{3041}-\x{3096}\x{30A1}-\x{30FA}\x{30FC}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}]"
# One Latin name token: capitalised (`Abe`, `O'Brien`, `Mary-Jane`) or all capitals (`YAMADA`).
LATIN = r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*[A-Za-zß-öø-ÿ]"
_JA_RUN = re.compile(f"{JA}+")
_ONE_SCRIPT = re.compile(r"[々ヶ\u3400-\u4dbf\u4e00-\u9fff]+|[\u30a1-\u30fa\u30fc]+|[\u3041-\u3096\u30fc]+")
_LATIN_TOKEN = re.compile(f"{LATIN}|[A-Z]\\.?")
_HONORIFICS = "様|さま|さん|殿|氏(?!名)|先生|くん|ちゃん"
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mister|Madam)"
_TRAILING_TITLE = re.compile(
    r"(?:\s|/|,\s?)(?:MR|MRS|MS|MISS|MSTR|DR|CHD|INF|MD|PhD|DDS|DVM|Jr\.?|Sr\.?|II|III|IV)$", re.IGNORECASE
)
# Tokens that end non-person names: shops, places, companies, offices.
_JA_STOP_SUFFIX = tuple("店社駅市区町村県府都道館院園屋所場部課局線号港湾島山川寺")
_LATIN_STOP = frozenset(
    "tour tours hotel hotels festival snow days day night nights package plan trip travel resort island "
    "inc ltd co corp company group bank station airport airlines air line street road avenue city park "
    "tower center centre hall the and of for in to with plaza beach lake mountain bay garden gardens "
    "museum castle temple shrine palace market house inn lodge villa club cafe restaurant bar spa "
    "school university college hospital clinic church bridge river valley falls north south east west".split()
)
# Japanese syllable structure in Hepburn / kunrei romaji: makes an unknown token plausible
# next to a known one (`Kenji Yamagishi`), while `Snow` or `Victor` are not.
_ROMAJI_SHAPE = re.compile(
    r"^(?:(?:[kgsztdnhbpmyrwfjc]|sh|ch|ts|[kgnhbpmr]y|j)?[aeiou]h?|n(?![aeiouy])|[kstpc](?=[kstpc]))+$"
)
_LABEL_NEGATIVE = re.compile(
    r"(?:tour|hotel|product|file|user|company|host|domain|item|plan|event|project|table|column|"
    r"ツアー|商品|会社|ホテル|プラン|施設|ファイル|ユーザー|イベント|企画|コース)[\W_]{0,6}$",
    re.IGNORECASE,
)


_LONG_OH = re.compile(r"oh(?![aeiouy])")
_LEADING_TITLE = re.compile(rf"^{_TITLES}\.?\s+")
_TRAILING_HONORIFIC = re.compile(rf"\s*(?:{_HONORIFICS})$")
_TOKEN_BREAK = re.compile(r"\s*[,/]\s*|\s+")


@lru_cache(maxsize=65_536)  # names repeat: a column of a million names holds a few thousand tokens
def fold_romaji(token: str) -> str:
    """Lower-case romaji without long-vowel spelling differences: `Satō`/`Satou`/`Satoh` -> `sato`."""
    plain = token.lower()
    if not plain.isascii():
        plain = "".join(c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c))
    plain = _LONG_OH.sub("o", plain)
    return plain.replace("ou", "o").replace("oo", "o").replace("uu", "u").replace("'", "").replace("’", "")


@dataclass(frozen=True)
class NameLexicon:
    """The name word lists, in the forms matching compares against."""

    ja_surnames: frozenset[str]  # kanji, katakana and hiragana forms
    ja_given: frozenset[str]
    romaji_surnames: frozenset[str]  # folded (see fold_romaji)
    romaji_given: frozenset[str]
    western_given: frozenset[str]  # lower-case
    western_surnames: frozenset[str]
    max_surname_len: int

    def is_surname(self, token: str) -> bool:
        folded = fold_romaji(token)
        return token in self.ja_surnames or folded in self.romaji_surnames or folded in self.western_surnames

    def is_given(self, token: str) -> bool:
        folded = fold_romaji(token)
        return token in self.ja_given or folded in self.romaji_given or folded in self.western_given

    def is_known(self, token: str) -> bool:
        return self.is_surname(token) or self.is_given(token)


def _data_lines(name: str) -> list[list[str]]:
    text = files("recognizers").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _ja_forms(rows: list[list[str]]) -> tuple[frozenset[str], frozenset[str]]:
    written: set[str] = set()
    romaji: set[str] = set()
    for kanji, kana, roman in rows:
        written.update((kanji, kana, jaconv.kata2hira(kana)))
        romaji.add(fold_romaji(roman))
    return frozenset(written), frozenset(romaji)


@cache
def lexicon() -> NameLexicon:
    """Load the word lists once per process (package data under recognizers/data/)."""
    surnames, romaji_surnames = _ja_forms(_data_lines("ja_surnames.tsv"))
    given, romaji_given = _ja_forms(_data_lines("ja_given_names.tsv"))
    western_given = frozenset(row[0].strip().lower() for row in _data_lines("western_given_names.txt"))
    western_surnames = frozenset(row[0].strip().lower() for row in _data_lines("western_surnames.txt"))
    return NameLexicon(
        ja_surnames=surnames,
        ja_given=given,
        romaji_surnames=romaji_surnames,
        romaji_given=romaji_given,
        western_given=western_given,
        western_surnames=western_surnames,
        max_surname_len=max(len(s) for s in surnames),
    )


def _is_ja_token(token: str) -> bool:
    return bool(_JA_RUN.fullmatch(token))


def _plausible_given_ja(token: str) -> bool:
    """1-4 characters of one script (kanji, katakana or hiragana) that do not end like a shop,
    place or office (`商店`, `駅`, `市`): `太郎です` (a name and a particle) is not one."""
    return 1 <= len(token) <= 4 and bool(_ONE_SCRIPT.fullmatch(token)) and not token.endswith(_JA_STOP_SUFFIX)


def split_ja_name(run: str) -> tuple[int, int] | None:
    """Find `surname + given name` in a run of Japanese characters with no space.

    Returns (start, end) of the name inside `run`, or None. The leftmost known surname
    wins (`担当の木村陽一` -> `木村陽一`); what follows it must be a plausible given name
    of at most four characters, and a one-character surname (`林`, `東`) needs a known
    given name after it so that `東京都` is not read as 東 + 京都.
    """
    lex = lexicon()
    for i in range(len(run)):
        for length in range(min(lex.max_surname_len, len(run) - i), 0, -1):
            surname = run[i : i + length]
            if surname not in lex.ja_surnames:
                continue
            rest = run[i + length :]
            if rest == "":
                return (i, i + length) if length >= 2 or i == 0 else None
            for rest_len in range(min(4, len(rest)), 0, -1):
                if rest[:rest_len] in lex.ja_given:
                    return i, i + length + rest_len
            if length >= 2 and _plausible_given_ja(rest):
                return i, i + length + len(rest)
    return None


def _tokens(cell: str) -> list[str]:
    cell = _TRAILING_TITLE.sub("", cell.strip())
    cell = _LEADING_TITLE.sub("", cell)
    cell = _TRAILING_HONORIFIC.sub("", cell)
    return [t for t in _TOKEN_BREAK.split(cell) if t]


def _known_surname(token: str) -> bool:
    """A listed surname, or a double-barrelled one with a listed part (`James-Brown`)."""
    lex = lexicon()
    if lex.is_surname(token):
        return True
    parts = token.split("-")
    return len(parts) == 2 and all(p[:1].isupper() and len(p) > 1 for p in parts) and any(
        lex.is_surname(p) or lex.is_given(p) for p in parts)


@lru_cache(maxsize=65_536)  # the same names recur across the tables and batches of a scan
def is_likely_name(cell: str, strict: bool = False) -> bool:
    """True when a whole cell reads as a person's name (the column-level validator).

    Japanese: a known surname with a plausible given name (space or not), or two short
    tokens where one is in the lists. Latin: a known surname and a known given name in
    either order, or one known Japanese name next to a romaji-shaped token; in a cell
    (not `strict`) also a known given name before an unlisted capitalised surname
    (`Tyler Boone`), since the column name and the other cells back it up.
    """
    lex = lexicon()
    tokens = _tokens(normalize(cell))
    if not tokens or len(tokens) > 3:
        return False
    if all(_is_ja_token(t) for t in tokens):
        if len(tokens) == 1:
            span = split_ja_name(tokens[0])
            return span == (0, len(tokens[0])) and len(tokens[0]) >= 3
        if any(len(t) > 6 for t in tokens):
            return False
        first, rest = tokens[0], tokens[1:]
        if lex.is_surname(first) and all(_plausible_given_ja(t) or lex.is_given(t) for t in rest):
            return True
        return sum(lex.is_known(t) for t in tokens) >= 2 and not any(
            t.endswith(_JA_STOP_SUFFIX) for t in rest
        )
    if len(tokens) < 2 or not all(_LATIN_TOKEN.fullmatch(t) for t in tokens):
        return False
    words = [t for t in tokens if len(t.rstrip(".")) > 1]  # drop middle initials
    if len(words) < 2 or any(fold_romaji(t) in _LATIN_STOP for t in words):
        return False
    first, last = words[0], words[-1]
    if (lex.is_given(first) and _known_surname(last)) or (_known_surname(first) and lex.is_given(last)):
        return True
    if not strict and fold_romaji(first) in lex.western_given and len(last) > 2 and last[1:].islower():
        return True
    ja_known = [t for t in words if fold_romaji(t) in lex.romaji_surnames | lex.romaji_given]
    return bool(ja_known) and all(_ROMAJI_SHAPE.match(fold_romaji(t)) for t in words)


# A column that holds one part of a name: first / given / last / family name, 姓 / 名, セイ / メイ.
SINGLE_NAME_FIELD = re.compile(
    r"(?:^|_)(?:first|given|last|family|sur|middle|fore)_?name(?:$|_)|(?:^|_)(?:fname|lname|f_name|l_name|sei|mei)(?:$|_)"
    r"|^(?:姓|名|セイ|メイ|せい|めい|苗字|名字)(?:$|_)|(?:^|_)(?:姓|名)(?:_?(?:カナ|かな|漢字|ローマ字))?$"
)


@lru_cache(maxsize=65_536)
def is_name_part(cell: str) -> bool:
    """One token that the word lists know as a surname or given name (`Emily`, `木村`, `ヨウイチ`,
    `SATO`): a cell of a first-name-only or last-name-only column. The lists decide, not the
    shape: a `名` column of product names must not pass; the column needs only a share."""
    tokens = _tokens(normalize(cell))
    if len(tokens) != 1:
        return False
    token = tokens[0].rstrip(".")
    if _is_ja_token(token):
        lex = lexicon()
        return 1 <= len(token) <= 6 and (lex.is_known(token) or lex.is_known(jaconv.hira2kata(token))
                                          or lex.is_known(jaconv.kata2hira(token)))
    return bool(_LATIN_TOKEN.fullmatch(token)) and len(token) >= 2 and lexicon().is_known(token)
