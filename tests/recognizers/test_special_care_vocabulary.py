"""Special-care vocabulary, round 2 (issue #15): mobility aids, implants and prostheses,
hearing and sight, pregnancy, service animals, oxygen and medication, diets for health
reasons, in both languages; surnames, sweets and preferences stay out."""

from __future__ import annotations

import pytest

from recognizers.base import normalize
from recognizers.special_care import SpecialCareRecognizer

REC = SpecialCareRecognizer()

FOUND = [
    # (text, the keyword reported)
    ("杖を使用しています", "杖を使"), ("白杖を持参", "白杖"), ("歩行杖あり", "歩行杖"),
    ("uses a walker", "uses a walker"), ("brings her rollator", "brings her rollator"), ("white cane", "white cane"),
    ("on crutches after surgery", "crutches"), ("人工関節のため金属探知に反応", "人工関節"),
    ("hip replacement last year", "hip replacement"), ("has a prosthetic leg", "prosthetic"),
    ("cochlear implant", "cochlear implant"), ("人工内耳を装用", "人工内耳"),
    ("耳が聞こえにくい", "耳が聞こえ"), ("low vision, large print please", "low vision"),
    ("出産予定は6月", "出産予定"), ("pregnant (28 weeks)", "pregnant"),
    ("介助犬同伴", "介助犬"), ("emotional support animal", "emotional support animal"),
    ("人工呼吸器を使用", "人工呼吸器"), ("brings a nebulizer", "nebulizer"), ("処方薬を機内持ち込み", "処方薬"),
    ("塩分制限あり", "塩分制限"), ("刻み食でお願いします", "刻み食"), ("low-sodium diet", "low-sodium diet"),
    ("dysphagia: pureed meals", "dysphagia"), ("lactose intolerant", "lactose intolerant"),
    ("SSR DBML", "DBML"), ("meal LSML", "LSML"),
]


@pytest.mark.parametrize(("text", "keyword"), FOUND, ids=[t for t, _ in FOUND])
def test_found(text, keyword):
    assert keyword in [h.value for h in REC.find(normalize(text))]


NOT_FOUND = [
    "Mr Walker checked in", "Ms Cane, room 1203", "candy cane for the kids", "sugar cane farm tour",
    "杖立温泉に宿泊", "meal VGML", "meal KSML", "vegetarian meal", "窓側の席を希望", "insulin: none",
    "介助犬不要", "no emotional support animal",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_found(text):
    assert REC.find(normalize(text)) == []
