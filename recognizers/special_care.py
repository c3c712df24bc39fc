"""SPECIAL_CARE_INFO: health and accessibility needs (配慮を要する情報).

A travel company records what a traveller needs to travel safely: a
wheelchair or a carer at the airport, allergies, oxygen, a guide dog,
pregnancy, dialysis, a chronic illness. Under the APPI (個人情報保護法 第2条第3項,
要配慮個人情報) health and disability information needs consent before it is
collected, so finding it matters even in a free-text "special requests" column.

How it is found: a precise keyword list in Japanese and English plus the IATA
special-service-request codes airlines use (WCHR/WCHS/WCHC wheelchair,
BLND/DEAF, MEDA medical case, STCR stretcher, OXYG oxygen, SVAN service
animal, DPNA disabled passenger needing assistance, PPOC portable oxygen).
Mobility aids (杖, rollator, crutches), implants and prostheses (人工関節), hearing and
sight, pregnancy, service animals, oxygen and medication, and diets for health
reasons (塩分制限, dysphagia, the IATA medical meal codes DBML/LSML/BLML/LFML/NLML/GFML)
are listed in both languages. Preferences are deliberately absent: a meal choice (`vegetarian meal`), a seat
(`窓側の席を希望`), a pushchair (`ベビーカー持ち込み`) are not special care, and
a negated need (`アレルギーなし`, `no known allergies`, `介助不要`) is dropped.
The column classifier counts a column with a few such values as holding the
entity, so every keyword here must be specific on its own.

Sources: 個人情報保護委員会「個人情報の保護に関する法律についてのガイドライン（通則編）」
2-3 要配慮個人情報; IATA Airport Handling Manual / PRM SSR codes
(https://www.iata.org/en/programs/passenger/accessibility/).
"""

from __future__ import annotations

import re
from typing import ClassVar

from recognizers import masks
from recognizers.base import Hit, OwnFindRecognizer, PatternSpec
from recognizers.spec import EntitySpec

JA_KEYWORDS = (
    "車椅子", "車いす", "車イス", "くるまいす", "クルマイス", "介助", "介護", "介添", "付き添い", "付添", "アレルギー",
    "ストレッチャー", "酸素", "聴覚障", "視覚障", "障害者", "障がい", "障碍", "身体障", "盲導犬", "聴導犬",
    "補助犬", "妊娠", "妊婦", "透析", "持病", "糖尿病", "心臓病", "心疾患", "ペースメーカー", "てんかん",
    "喘息", "ぜんそく", "認知症", "松葉杖", "歩行器", "歩行困難", "歩行補助", "補聴器", "手話", "筆談",
    "耳が不自由", "目が不自由", "足が不自由", "体が不自由", "身体が不自由", "難聴", "全盲", "弱視", "義足",
    "義手", "診断書", "インスリン", "常備薬", "服薬", "人工肛門", "ストーマ", "医療機器",
    # mobility aids, implants and prostheses
    "白杖", "杖使用", "杖歩行", "杖を使", "杖をつ", "杖が必要", "歩行杖", "シルバーカー", "人工関節", "人工股関節",
    "人工膝関節", "人工内耳", "義眼", "補装具", "装具を", "インプラント",
    # hearing and sight
    "耳が聞こえ", "目が見え", "聴覚に障", "視覚に障", "ろう者", "盲ろう", "ロービジョン",
    # pregnancy, service animals, oxygen and medication
    "出産予定", "臨月", "つわり", "産後", "介助犬", "人工呼吸器", "吸引器", "ネブライザー", "処方薬", "内服薬",
    "点滴", "注射器", "自己注射", "エピペン",
    # diets for health reasons
    "食事制限", "塩分制限", "減塩食", "糖尿病食", "腎臓病食", "治療食", "刻み食", "きざみ食", "ミキサー食",
    "流動食", "嚥下", "とろみ食", "乳糖不耐",
)  # fmt: skip
# Regex fragments, matched case-insensitively at the start of a word.
EN_KEYWORDS = (
    r"wheel[ \-]?chairs?", r"carers?", r"care ?givers?", r"allerg\w*", r"anaphyla\w*", r"epi[ \-]?pens?",
    r"stretchers?", r"oxygen", r"hearing[ \-]impair\w*", r"hard of hearing", r"hearing (?:aid|loss)\w*",
    r"deaf\w*", r"visual(?:ly)?[ \-]impair\w*", r"vision[ \-]impair\w*", r"partially sighted",
    r"(?:legally |totally |is |am |are )blind\b", r"blind (?:passenger|travell?er|guest|person|customer)s?",
    r"(?:guide|service|assistance|hearing) (?:dog|animal)s?", r"pregnan\w*", r"dialysis",
    r"medical (?:condition|certificate|clearance|equipment|device|needs?|assistance|treatment|history|case)s?",
    r"medif\b", r"medications?", r"diabet\w*", r"insulin", r"(?:reduced|limited|impaired) mobility",
    r"mobility (?:aid|impair\w*|scooter|issue|problem)s?", r"disabilit\w*", r"disabled", r"crutch\w*",
    r"walking (?:frame|aid|stick|difficult\w*)s?", r"epilep\w*", r"seizures?", r"asthma\w*",
    r"heart (?:condition|disease|problem)s?", r"pacemakers?", r"dementia", r"alzheimer\w*", r"autis\w*",
    r"cpap", r"sign language", r"c[o]?eliac", r"special assistance",
    # mobility aids, implants and prostheses (a bare "walker" or "cane" is a surname or a sweet)
    r"(?:uses?|using|with|needs?|brings?|bringing) (?:a |her |his |their )?(?:walker|rollator|cane)s?\b",
    r"rollators?", r"(?:white|walking) canes?", r"prosthe(?:sis|ses|tics?)\b",
    r"artificial (?:joint|hip|knee|limb|leg|arm)s?", r"(?:hip|knee|joint) replacements?",
    r"cochlear implants?", r"(?:metal|medical) implants?",
    # hearing and sight
    r"low vision",
    # service animals, oxygen and medication
    r"emotional support (?:dog|animal)s?", r"nebuli[sz]ers?", r"ventilators?",
    r"prescription (?:drug|medicine|medication)s?", r"syringes?",
    # diets for health reasons
    r"(?:low[ \-]sodium|low[ \-]salt|renal|diabetic|therapeutic|medical|pureed|minced|liquid) (?:diet|meal)s?",
    r"dysphagia", r"swallowing (?:difficult\w*|problems?)", r"lactose intoleran\w*", r"food intoleran\w*",
)  # fmt: skip
IATA_CODES = (
    "WCHR", "WCHS", "WCHC", "WCMP", "WCBD", "WCBW", "WCLB", "WCOB", "BLND", "DEAF", "DPNA", "MEDA", "STCR",
    "OXYG", "SVAN", "ESAN", "PPOC", "POXY", "PRM",
    # meals for health reasons (not KSML/HNML/VGML: religion and preference are not special care)
    "DBML", "LSML", "BLML", "LFML", "NLML", "GFML",
)  # fmt: skip

_JA_ALT = "|".join(re.escape(k) for k in sorted(JA_KEYWORDS, key=len, reverse=True))
_EN_ALT = "|".join(EN_KEYWORDS)
_IATA_ALT = "|".join(IATA_CODES)
KEYWORD_REGEX = rf"(?:{_JA_ALT})|(?<![A-Za-z])(?i:{_EN_ALT})|(?<![A-Za-z])(?:{_IATA_ALT})(?![A-Za-z])"
# RE2 has no lookbehind: the same alternation without it is a superset.
KEYWORD_RE2 = rf"(?:{_JA_ALT})|(?i:{_EN_ALT})|(?:{_IATA_ALT})"

_NEGATED_AFTER = re.compile(
    r"^(?:[はがも]|の?(?:必要|手配|利用)は?)?(?:なし|無し|ない|ありません|不要|いらない|は不要)"
)
_NEGATED_AFTER_EN = re.compile(r"^\w*\s*[:=]?\s*(?:none|no|nil|n/a|not required|not needed)\b", re.IGNORECASE)
_NEGATED_BEFORE_EN = re.compile(
    r"(?:\bno|\bnot|\bnon|\bwithout|\bnkda)[ \-](?:known |food |drug |medical |need (?:for )?(?:a )?)?$",
    re.IGNORECASE,
)


def _negated(text: str, start: int, end: int) -> bool:
    """`アレルギーなし`, `介助不要`, `no known allergies`, `allergies: none`."""
    after = text[end : end + 12]
    return bool(
        _NEGATED_AFTER.match(after)
        or _NEGATED_AFTER_EN.match(after)
        or _NEGATED_BEFORE_EN.search(text[max(0, start - 24) : start])
    )


SPEC = EntitySpec(label_en="Special-care needs", label_ja="特別な配慮を要する情報", category="special_care", mask=masks.truncated)


class SpecialCareRecognizer(OwnFindRecognizer):
    """Health and accessibility needs, by a precise keyword list and IATA SSR codes."""

    DIGIT_INVARIANT = True  # no pattern or check looks at digit values

    CELL_IS_VALUE = False  # a cell mentions a need; it is free text, not an identifier

    ENTITY = "SPECIAL_CARE_INFO"
    SPEC: ClassVar[EntitySpec] = SPEC
    PREFILTER = KEYWORD_RE2
    PATTERNS = (PatternSpec("keyword", rf"(?P<value>{KEYWORD_REGEX})", 0.6),)
    # A free-text cell holding any keyword; `validate` then drops negated ones.
    VALUE_PATTERN = rf"(?s)^.*(?:{KEYWORD_RE2}).*$"
    CONTEXT = (
        "特記事項", "配慮", "要望", "希望", "手配", "同行", "request", "requests", "needs", "assistance", "ssr",
        "arrange", "remarks", "備考", "health", "medical", "健康",
    )  # fmt: skip
    CONTEXT_CHARS_AFTER = 20
    FIELD_HINTS = (
        r"special_?(?:requests?|needs?|assistance|care|services?|handling)|(?:^|_)(?:ssr|medical|medical_?info|"
        r"health|accessibility|disability|allerg\w*|dietary_?restrictions?|care_?needs?|mobility)(?:$|_)",
        r"特記事項|配慮|要望|健康|医療|介助|アレルギー|障がい|障害|持病|tokki|hairyo",
    )
    FIELD_NEGATIVE_HINTS = (
        r"(?:^|_)(?:meal_?(?:pref\w*|code)|seat_?pref\w*)(?:$|_)",
        # what a person does for a living (`Learning disability nurse`, `介護ヘルパー`) is not their need
        r"(?:^|_)(?:job|jobs|occupation|profession|job_?title|title|position|role|department|dept|employer|"
        r"company|speciality|specialty|industry)(?:$|_)",
        r"職業|職種|役職|部署|勤務先|会社",
    )

    def validate(self, candidate: str) -> bool:
        """A whole cell counts when it names at least one need that is not negated."""
        return bool(self.find(candidate))

    def find(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        for spec, regex in self._compiled:
            for m in regex.finditer(text):
                start, end = m.span("value")
                if _negated(text, start, end):
                    continue
                context = self.context_score(text, start, end)
                score = min(1.0, spec.score + (self.CONTEXT_BOOST if context > 0 else 0.0))
                hits.append(Hit(self.ENTITY, start, end, score, m.group("value"), spec.name))
        return hits
