"""The optional Japanese NER boost: label mapping, the per-column budget, off when not installed.

A stand-in spaCy pipeline (an entity ruler emitting GiNZA's labels) tests the
logic without the 280 MB model; the real GiNZA test runs only where
`pip install -e '.[ja]'` installed it.
"""

from __future__ import annotations

import pyarrow as pa
import pytest
import spacy

from recognizers import default_recognizers
from recognizers.ner import JapaneseNerRecognizer, ginza_available
from scanner.detect.config import DetectionConfig, NerConfig
from scanner.detect.engine import ColumnStats, Detector
from scanner.model import Location


@pytest.fixture(scope="module")
def stand_in():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "Person", "pattern": "高梨"},
        {"label": "City", "pattern": "札幌市"},
        {"label": "Product_Other", "pattern": "ハワイ"},
    ])
    return nlp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("担当は 高梨 でした、よろしくお願いします", [("PERSON", "高梨")]),
        ("ご住所は 札幌市 中央区北1条西2丁目です", [("ADDRESS", "札幌市")]),
        ("明日 札幌市 に伺います、よろしくお願いします", []),  # a place, not an address
        ("ハワイ 5日間のツアーについての問い合わせ", []),  # labels that are not personal data are dropped
    ],
)
def test_ginza_labels_map_to_piiscan_entities(stand_in, text, expected):
    hits = JapaneseNerRecognizer(nlp=stand_in).find(text)
    assert [(h.entity_type, h.value) for h in hits] == expected


def test_the_model_sees_a_bounded_number_of_texts_per_column(stand_in):
    calls = []

    class Counting(JapaneseNerRecognizer):
        def find(self, text):
            calls.append(text)
            return super().find(text)

    config = DetectionConfig(ner=NerConfig(enabled=True, max_texts_per_column=5))
    detector = Detector([Counting(nlp=stand_in)], config)
    stats = ColumnStats("memo")
    values = [f"担当は 高梨 でした、よろしくお願いします 件{i}" for i in range(40)]
    for start in (0, 20):
        detector.observe(stats, pa.array(values[start:start + 20]))
    assert len(calls) == 5
    findings = detector.findings(stats, Location("x.csv", None, "memo"), 40)
    assert [(f.entity_type, f.count) for f in findings] == [("PERSON", 5)]


def test_short_cells_are_not_given_to_the_model():
    import pyarrow.compute as pc

    texts = pa.array(["世田谷区", "三軒茶屋8-4-23", "担当は高梨でした、よろしくお願いします"])
    admitted = pc.match_substring_regex(texts, JapaneseNerRecognizer.PREFILTER).to_pylist()
    assert admitted == [False, False, True]


def test_no_boost_unless_asked_or_installed():
    assert not any(r.NER for r in default_recognizers(ner=False))
    assert any(r.NER for r in default_recognizers(ner=True))
    assert any(r.NER for r in default_recognizers()) == ginza_available()


@pytest.mark.skipif(not ginza_available(), reason="ja-ginza not installed (pip install -e '.[ja]')")
def test_real_ginza_finds_a_city_and_a_person():
    hits = JapaneseNerRecognizer().find("折り返し連絡先: 070-7439-1500 (木村 陽一 様)。住所は札幌市中央区北1条西2丁目です。")
    assert {h.entity_type for h in hits} >= {"PERSON", "ADDRESS"}
