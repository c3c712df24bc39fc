"""Both languages carry the same words; the default language follows the locale."""

from __future__ import annotations

import pytest

from scanner.report.labels import LABELS, LANGUAGES, Labels, default_language


@pytest.mark.parametrize("group", sorted(LABELS["en"]))
def test_every_label_exists_in_both_languages(group):
    assert set(LABELS["ja"][group]) == set(LABELS["en"][group])
    assert all(LABELS["ja"][group].values()) and all(LABELS["en"][group].values())


ENVIRONMENTS = [
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
    ({"LC_ALL": "ja_JP.eucJP", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "C"}, "ja"),
    ({"LANGUAGE": "ja:en"}, "ja"),
    ({"PIISCAN_LANG": "ja", "LANG": "C.UTF-8"}, "ja"),
    ({"PIISCAN_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"LC_ALL": "", "LANG": "ja_JP.UTF-8"}, "ja"),
]


@pytest.mark.parametrize(("environ", "expected"), ENVIRONMENTS)
def test_default_language(environ, expected):
    assert default_language(environ) == expected


def test_unknown_codes_print_as_they_are():
    labels = Labels("ja")
    assert labels.code("entity", "PASSPORT_NUMBER") == "旅券番号"
    assert labels.code("entity", "NEW_RECOGNIZER") == "NEW_RECOGNIZER"
    assert labels.code("severity", None) == ""


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="fr"):
        Labels("fr")
    assert LANGUAGES == ("ja", "en")
