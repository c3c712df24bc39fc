"""An offline Presidio `AnalyzerEngine` with piiscan's recognizers.

`AnalyzerEngine()` with no arguments downloads `en_core_web_lg`; here the NLP
engine is a blank spaCy pipeline saved once to a local cache folder (pattern
and context detection need only a tokenizer), served for both `en` and `ja`.
When the official Japanese GiNZA model (`pip install piiscan[ja]`) is
installed, it serves `ja` instead and its NER adds PERSON / ADDRESS in free
text. Nothing here touches the network: no model download, and Presidio's own
e-mail/URL recognizers (which call tldextract) are not registered.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

GINZA_PACKAGE = "ja_ginza"
# GiNZA's own NER labels -> Presidio entity types
GINZA_LABELS = {"Person": "PERSON", "Province": "ADDRESS", "City": "ADDRESS", "County": "ADDRESS",
                "Country": "LOCATION", "GPE": "LOCATION", "Name_Other": "PERSON"}


def cache_dir() -> Path:
    base = os.environ.get("PIISCAN_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "piiscan"


def blank_model_path() -> Path:
    """A blank English spaCy pipeline on disk (made once; about 1 MB)."""
    target = cache_dir() / f"spacy-blank-en-{spacy.__version__}"
    if not (target / "config.cfg").exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            spacy.blank("en").to_disk(tmp)
            try:
                os.replace(tmp, target)
            except OSError:  # another process won the race
                pass
            Path(tmp).mkdir(exist_ok=True)  # TemporaryDirectory cleanup expects it
    return target


def ginza_available() -> bool:
    return spacy.util.is_package(GINZA_PACKAGE)


def build_analyzer(recognizers: Sequence[EntityRecognizer] | None = None,
                   languages: Sequence[str] = ("en", "ja"), use_ginza: bool | None = None) -> AnalyzerEngine:
    """An AnalyzerEngine that never downloads anything, with piiscan's recognizers for each language."""
    from recognizers import default_recognizers

    use_ginza = ginza_available() if use_ginza is None else use_ginza
    blank = str(blank_model_path())
    models = []
    for lang in languages:
        name = GINZA_PACKAGE if (lang == "ja" and use_ginza) else blank
        models.append({"lang_code": lang, "model_name": name})
    ner_config = NerModelConfiguration(model_to_presidio_entity_mapping=GINZA_LABELS)
    nlp_engine = SpacyNlpEngine(models=models, ner_model_configuration=ner_config)
    registry = RecognizerRegistry(supported_languages=list(languages))
    for lang in languages:
        for recognizer in (recognizers if recognizers is not None else default_recognizers(language=lang)):
            if recognizers is not None and recognizer.supported_language != lang:
                continue
            registry.add_recognizer(recognizer)
        if lang == "ja" and use_ginza:
            from presidio_analyzer.predefined_recognizers import SpacyRecognizer

            registry.add_recognizer(SpacyRecognizer(supported_language="ja", supported_entities=["PERSON", "ADDRESS"]))
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=list(languages))
