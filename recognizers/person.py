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
from typing import ClassVar

import numpy as np

from recognizers import masks
from recognizers.base import Hit, OwnFindRecognizer, PatternSpec, normalize, normalize_field_name
from recognizers.person_names import (  # noqa: F401  (re-exported: callers import them from here)
    _HONORIFICS,
    _JA_RUN,
    _JA_STOP_SUFFIX,
    _LABEL_NEGATIVE,
    _LATIN_STOP,
    _TITLES,
    _TRAILING_TITLE,
    JA,
    JA_RE2,
    LATIN,
    SINGLE_NAME_FIELD,
    NameLexicon,
    _is_ja_token,
    _plausible_given_ja,
    fold_romaji,
    is_likely_name,
    is_name_part,
    lexicon,
    split_ja_name,
)
from recognizers.spec import EntitySpec

# A katakana run right before an honorific is a name (lists or not), except these words.
_TRAILING_KATAKANA = re.compile(r"[\u30a1-\u30fa][\u30a1-\u30fa\u30fc]*$")
_KATAKANA_PAIR = re.compile(r"[\u30a1-\u30fa\u30fc]{2,8} [\u30a1-\u30fa\u30fc]{2,8}")
_KATAKANA_NOT_NAMES = frozenset(
    "オーナー ゲスト メンバー ユーザー カスタマー ドライバー スタッフ ファミリー グループ ホスト パートナー "
    "クライアント ショップ ホテル センター ツアー ゲストハウス オペレーター サポーター リーダー ママ パパ".split()
)


_HOUSE_NUMBER_BEFORE = re.compile(r"(?:^|[\s,:])\d{1,6}[A-Z]?(?:/\d{1,6})? $")


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
        # a self-introduction: `My name is David Johnson`, `I'm Aiko Tanaka`, `私の名前は山田太郎です`
        PatternSpec(
            "intro",
            r"(?:(?<![A-Za-z])(?i:my name is|my name's|name is|i am|i'm|this is)|私の名前は|名前は|私は) ?"
            rf"(?P<value>{LATIN}(?: {LATIN}){{1,2}}|{JA}{{2,8}}(?: {JA}{{1,8}})?)",
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

    def validate_field(self, candidates, field_name: str | None,
                       valid: np.ndarray | None = None):
        """`validate_many`, plus single listed names in a first-name-only or last-name-only column."""
        valid = self.validate_many(candidates) if valid is None else valid.copy()
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
                if _KATAKANA_PAIR.fullmatch(value) and first not in _KATAKANA_NOT_NAMES:
                    return start, end  # `タカハシ シュウヘイ様`: readings are longer than the kanji
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
        if pattern == "intro":
            return _introduced_name(value, start)
        if pattern == "ja_full_name":
            first, second = value.split(" ")
            return (start, end) if lex.is_surname(first) and lex.is_known(second) else None
        if _HOUSE_NUMBER_BEFORE.search(text[max(0, start - 12) : start]):
            return None  # `52595 Jeffery Fields, …`: a street named after a person, not a person
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


def _introduced_name(value: str, base: int) -> tuple[int, int] | None:
    """The name after `my name is` / `私は`: a listed given name and a capitalised surname, or a
    Japanese surname + given name (the sentence after it is cut off)."""
    if _JA_RUN.match(value):
        first, _, second = value.partition(" ")
        if second:
            return (base, base + len(value)) if lexicon().is_surname(first) and _plausible_given_ja(second) else None
        span = split_ja_name(value)
        return (base, base + span[1]) if span and span[0] == 0 else None
    tokens = value.split(" ")
    for size in (3, 2):
        name = " ".join(tokens[:size])
        if len(tokens) >= size and is_likely_name(name):
            return base, base + len(name)
    return None


def _name_window(run: str, base: int) -> tuple[int, int] | None:
    """The leftmost 3- or 2-token window of a run of capitalised words that reads as a name
    (`Customer Miki Abe` -> `Miki Abe`)."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", run)]
    for i in range(len(tokens) - 1):
        # after a word that introduces a person (`Customer`, `Dear`, `Passenger`), a listed given
        # name before an unlisted surname is enough, as in a name column
        strict = not (i > 0 and run[tokens[i - 1][0] : tokens[i - 1][1]].lower().rstrip(",:") in _INTRODUCERS)
        for size in (3, 2):
            if i + size <= len(tokens):
                lo, hi = tokens[i][0], tokens[i + size - 1][1]
                if is_likely_name(run[lo:hi], strict=strict):
                    return base + lo, base + hi
    return None


_INTRODUCERS = frozenset("customer passenger traveler traveller guest member dear contact client attendee".split())
