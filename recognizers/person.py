"""PERSON: people's names (氏名) in kanji, kana, romaji and Western spelling.

A Japanese name is written surname first (`木村 陽一`, `ワタナベ ナオキ`,
`きむら よういち`, often without the space: `木村陽一`); in romaji either order
is common (`Miki Abe`, `YAMADA Taro`, airline style `YAMADA/TARO MR`); Western
names come given name first (`Victor Martinez`).

There is no NER model here (a blank spaCy pipeline has none, and GiNZA is an
optional 300 MB extra), so names are found from evidence a reviewer would also
use:

- in free text, an honorific or title (`様`, `さん`, `殿`, `氏`, `Mr.`, `Ms.`), a
  label (`氏名:`, `お名前:`, `名義:`, `name:`), or a full name whose surname
  *and* given name are both in the word lists;
- in a column, a cell of 1-3 name-shaped tokens whose tokens are in the word
  lists (surname lists decide `木村陽一` without a space), together with the
  field name (`full_name`, `氏名`, `traveler`, ...).

Word lists (recognizers/data/, see its README): ~300 frequent Japanese surnames
and ~210 given names with their katakana and romaji readings, the US Census /
SSA frequent surnames and given names (through Faker's `en_US` provider).
Romaji is compared after folding long vowels, so `Satou`, `Satoh` and `Satō`
all read as `sato`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import ClassVar

import jaconv
import numpy as np

from recognizers import masks
from recognizers.base import Hit, OwnFindRecognizer, PatternSpec, normalize, normalize_field_name
from recognizers.spec import EntitySpec

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


def fold_romaji(token: str) -> str:
    """Lower-case romaji without long-vowel spelling differences: `Satō`/`Satou`/`Satoh` -> `sato`."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", token.lower()) if not unicodedata.combining(c))
    plain = re.sub(r"oh(?![aeiouy])", "o", plain)
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
    cell = re.sub(rf"^{_TITLES}\.?\s+", "", cell)
    cell = re.sub(rf"\s*(?:{_HONORIFICS})$", "", cell)
    return [t for t in re.split(r"\s*[,/]\s*|\s+", cell) if t]


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
    if (lex.is_given(first) and lex.is_surname(last)) or (lex.is_surname(first) and lex.is_given(last)):
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


# A katakana run right before an honorific is a name (lists or not), except these words.
_TRAILING_KATAKANA = re.compile(r"[\u30a1-\u30fa][\u30a1-\u30fa\u30fc]*$")
_KATAKANA_NOT_NAMES = frozenset(
    "オーナー ゲスト メンバー ユーザー カスタマー ドライバー スタッフ ファミリー グループ ホスト パートナー "
    "クライアント ショップ ホテル センター ツアー ゲストハウス オペレーター サポーター リーダー ママ パパ".split()
)


_USER_DOT_NAME = re.compile(r"(?i)(?:^|\.)(?:user|member|account)\.(?:full_?)?name$")


SPEC = EntitySpec(label_en="Name", label_ja="氏名", category="identity", mask=masks.name)


class PersonRecognizer(OwnFindRecognizer):
    """Names in free text (honorifics, titles, labels, listed full names) and name columns."""

    DIGIT_INVARIANT = True  # no pattern or check looks at digit values

    ENTITY = "PERSON"
    SPEC: ClassVar[EntitySpec] = SPEC
    # Every hit holds a Japanese character, two capitalised words, a title, "-san", or a
    # name label ("name:", "guest="): log lines like "INFO booking JPK… confirmed" are not candidates.
    PREFILTER = (
        JA_RE2
        + r"|[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*[A-Za-zß-öø-ÿ](?:,? |/)[A-ZÀ-ÖØ-Þ]"
        r"|(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mister|Madam)\.? ?[A-ZÀ-ÖØ-Þ]|[A-Za-zß-öø-ÿ][ -]san"
        r"|(?i:name|passenger|traveler|traveller|guest|holder)[\"']? ?[:=：]"
    )
    PATTERNS = (
        PatternSpec("ja_honorific", rf"(?P<value>{JA}{{1,12}}(?: {JA}{{1,8}})?) ?(?:{_HONORIFICS})", 0.85),
        PatternSpec("latin_title", rf"\b{_TITLES}\.? ?(?P<value>{LATIN}(?: {LATIN}){{0,2}})", 0.85),
        PatternSpec(
            "latin_honorific", rf"(?P<value>{LATIN}(?: {LATIN}){{0,2}})(?: ?(?:様|さん|殿)|[ -]san\b)", 0.8
        ),
        # A key right before the value (`氏名: …`, `name=…`, `"guest_name": "…"`, `holder: …`):
        # the key is the evidence, so 2-3 capitalised words or a Japanese name need no word list.
        PatternSpec(
            "label",
            r"(?<![A-Za-z])(?P<label>(?i:(?:(?:full|customer|passenger|guest|traveler|traveller|card ?holder|"
            r"contact|account|given|family|first|last|sur)[ _]?)?name|passenger|traveler|traveller|guest|holder)"
            r"|氏名|お名前|名前|名義人?|予約者名?|代表者名?|利用者名?|ご?担当者?名?|フリガナ|ふりがな|カナ氏名|ローマ字)"
            rf"[\"']? ?[:=：] ?[\"']?(?P<value>{JA}{{1,8}}(?: {JA}{{1,8}}){{0,2}}"
            rf"|{LATIN}(?:(?:,? |/){LATIN}){{1,2}}(?![\w\-]))",
            0.75,
        ),
        PatternSpec("ja_full_name", rf"(?<!{JA})(?P<value>{JA}{{1,4}} {JA}{{1,4}})(?!{JA})", 0.6),
        PatternSpec("ja_run", rf"(?P<value>{JA}{{3,12}})", 0.5),
        PatternSpec("latin_full_name", rf"\b(?P<value>{LATIN}(?: (?:[A-Z]\.|{LATIN})){{1,5}})(?![\w@])", 0.5),
    )
    # A cell of 1-3 Japanese tokens or 2-4 Latin tokens, with optional title / honorific.
    VALUE_PATTERN = (
        rf"^(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?(?:{JA_RE2}{{1,8}}(?:\s*[ ,/]\s*{JA_RE2}{{1,8}}){{0,2}}"
        r"|[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*(?:(?:\s*[,/]\s*|\s+)[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*){1,3})"
        r"(?:\s*(?:様|さん|殿|氏))?$"
    )
    # With a name hint, a single Latin token too (first-name-only / last-name-only columns).
    VALUE_PATTERN_WITH_HINT = "^(?:" + VALUE_PATTERN[1:-1] + r"|[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]{1,30})$"
    CONTEXT = (
        "name", "氏名", "お名前", "名前", "名義", "customer", "顧客", "passenger", "traveler", "traveller",
        "guest", "予約者", "代表者", "contact", "連絡先", "dear", "担当", "member", "会員",
    )  # fmt: skip
    FIELD_HINTS = (
        r"(?:^|_)(?:full_?|first_?|last_?|given_?|family_?|sur|middle_?|display_?|customer_?|guest_?|"
        r"passenger_?|traveler_?|traveller_?|member_?|contact_?|holder_?|card_?holder_?|owner_?|kana_?|"
        r"romaji_?|roma_?|kanji_?|en_?|ja_?|jp_?)?name(?:_?(?:kana|kanji|romaji|roma|en|ja|jp|alpha|latin|"
        r"first|last|full|sei|mei))?(?:$|_)",
        r"(?:^|_)(?:traveler|traveller|passenger|guest|pax|holder|cardholder|contact_person|representative)(?:$|_)",
        r"(?:^|_)(?:shimei|namae|sei|mei|seimei|furigana|kana|romaji)(?:$|_)",
        r"(?:^|_)(?:fname|lname|f_name|l_name)(?:$|_)",
        r"(?:^|_)(?:cust|customer|guest|member|kokyaku|kanji|kana|sei|mei|shimei|full|first|last)_?nm(?:$|_)",
        r"氏名|名前|姓|^名$|^名_|_名$|フリガナ|ふりがな|カナ|ローマ字|名義|予約者|代表者|旅行者|搭乗者|宿泊者|お客様",
        r"^(?:セイ|メイ|せい|めい)(?:$|_)",  # kana headers for family / given name
    )
    FIELD_NEGATIVE_HINTS = (
        r"(?:product|tour|hotel|company|corp|file|user|host|domain|item|plan|event|project|table|column|"
        r"schema|app|service|brand|shop|store|airport|station|city|country|team|group|role|course|package|"
        r"sku|menu|room|facility|campaign|segment|device|server|bucket|tag|category|vendor|partner|agent)_?names?",
        r"商品名|ツアー名|会社名|ホテル名|施設名|プラン名|ファイル名|店舗名|ユーザー名|コース名|空港名|駅名|都市名|国名",
        r"(?:^|_)(?:username|user_name|login|hostname|filename)(?:$|_)",
        # places: a town that splits like surname + given name (`中村橋`, `石川町`) is not a person here
        r"address|(?:^|_)(?:addr\d?|city|town|prefecture|pref|region|area|place|destination|ward|district|"
        r"street|station|origin)(?:$|_)",
        r"住所|所在地|都道府県|市区町村|地名|行き?先|目的地|出発地|到着地|駅",
    )
    CONTEXT_CHARS_BEFORE = 20

    def field_hint(self, field_name: str | None) -> int:
        """As the base, except that the JSON path `user.name` is the user's name (a person),
        not the login `user_name` that the negative hints mean."""
        if field_name and _USER_DOT_NAME.search(normalize(field_name)):
            return 1
        return super().field_hint(field_name)

    def validate(self, candidate: str) -> bool:
        return is_likely_name(candidate)

    def validate_field(self, candidates, field_name: str | None):
        """`validate_many`, plus single listed names in a first-name-only or last-name-only column."""
        valid = self.validate_many(candidates)
        if self.field_hint(field_name) > 0 and SINGLE_NAME_FIELD.search(normalize_field_name(field_name or "")):
            values = candidates.to_pylist() if hasattr(candidates, "to_pylist") else list(candidates)
            valid = valid | np.fromiter((is_name_part(str(v)) for v in values), dtype=bool, count=len(values))
        return valid

    def find(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        for spec, regex in self._compiled:
            for m in regex.finditer(text):
                span = self._confirm(spec.name, text, m)
                if span is None:
                    continue
                start, end = span
                if any(h.start < end and start < h.end for h in hits):
                    continue
                score = spec.score
                if spec.name in ("ja_full_name", "ja_run", "latin_full_name"):
                    context = self.context_score(text, start, end)
                    if context < 0:
                        continue
                    score = min(1.0, score + (self.CONTEXT_BOOST if context > 0 else 0.0))
                if score >= self.MIN_SCORE:
                    hits.append(Hit(self.ENTITY, start, end, score, text[start:end], spec.name))
        return sorted(hits, key=lambda h: h.start)

    def _confirm(self, pattern: str, text: str, m: re.Match[str]) -> tuple[int, int] | None:
        """Turn a pattern match into the span of the name, or None when it is not one."""
        start, end = m.span("value")
        value = m.group("value")
        lex = lexicon()
        if pattern == "ja_honorific":
            if " " in value:
                first, second = value.split(" ")
                # the surname ends the first run (`担当の木村 陽一様` -> `木村 陽一`)
                for i in range(len(first)):
                    if first[i:] in lex.ja_surnames and _plausible_given_ja(second):
                        return start + i, end
                if lex.is_surname(second) and not lex.is_known(first):
                    return end - len(second), end  # `旅行者 鈴木様`: a word, then the name
                if (
                    len(first) <= 4
                    and _plausible_given_ja(second)
                    and not re.search(r"[\u3041-\u3096]", first)
                ):
                    return start, end
                return None
            span = split_ja_name(value)
            kana = _TRAILING_KATAKANA.search(value)
            if kana and len(kana.group()) >= 2 and kana.group() not in _KATAKANA_NOT_NAMES and (
                    span is None or span[0] >= kana.start()):
                # a katakana name is one run: `ツキシマ様` whole, not the listed `キシマ` inside it
                return start + kana.start(), end
            return (start + span[0], start + span[1]) if span else None
        if pattern == "label":
            if _LABEL_NEGATIVE.search(text[max(0, m.start() - 12) : m.start("label")]):
                return None
            if _JA_RUN.fullmatch(value):  # no space: keep the name, not the sentence after it
                span = split_ja_name(value)
                if span and span[0] == 0:
                    return start, start + span[1]
                run = re.match(r"[々ヶ\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff]{2,6}", value)
                return (start, start + run.end()) if run else None
            if _is_ja_token(value.split()[0]):
                return start, end
            return _labelled_latin_name(value, start)
        if pattern in ("latin_title", "latin_honorific"):
            return (start, end) if fold_romaji(value.split()[-1]) not in _LATIN_STOP else None
        if pattern == "ja_run":
            span = split_ja_name(value)
            if span is None:
                return None
            name = value[span[0] : span[1]]
            surname_given = any(
                name[:k] in lex.ja_surnames and name[k:] in lex.ja_given for k in range(1, len(name))
            )
            return (start + span[0], start + span[1]) if surname_given else None
        if pattern == "ja_full_name":
            first, second = value.split(" ")
            return (start, end) if lex.is_surname(first) and lex.is_known(second) else None
        return _name_window(value, start)


def _labelled_latin_name(value: str, base: int) -> tuple[int, int] | None:
    """The span of a Latin name after a key (`guest="Seoyeon Park"`), or None when it reads
    as something else: a place, a tour, a company (`Tokyo Tower`, `Sapporo Snow Festival`).

    A stop word counts only when it is not also a listed name (`Park`, `Hall`, `Lake`)."""
    title = _TRAILING_TITLE.search(value)
    name = value[: title.start()] if title else value
    words = re.split(r",? |/", name)
    lex = lexicon()
    if len(words) < 2 or any(fold_romaji(w) in _LATIN_STOP and not lex.is_known(w) for w in words):
        return None
    return base, base + len(name)


def _name_window(run: str, base: int) -> tuple[int, int] | None:
    """The leftmost 3- or 2-token window of a run of capitalised words that reads as a name
    (`Customer Miki Abe` -> `Miki Abe`)."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", run)]
    for i in range(len(tokens) - 1):
        for size in (3, 2):
            if i + size <= len(tokens):
                lo, hi = tokens[i][0], tokens[i + size - 1][1]
                if is_likely_name(run[lo:hi], strict=True):
                    return base + lo, base + hi
    return None
