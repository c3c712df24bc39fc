"""piiscan's Presidio recognizers, one module per identifier.

A new recognizer is one new module plus one line in `RECOGNIZERS` below. Every
class is a Presidio `EntityRecognizer`: add them to your own `AnalyzerEngine`
(`recognizers.engine.build_analyzer` builds an offline one), or let piiscan's
vectorised engine run them over whole columns.
"""

from __future__ import annotations

from recognizers.address import AddressRecognizer
from recognizers.base import PiiRecognizer
from recognizers.card import (
    CardExpirationRecognizer,
    CardSecurityCodeRecognizer,
    CreditCardRecognizer,
    MaskedCardRecognizer,
    TrackDataRecognizer,
)
from recognizers.date_of_birth import DateOfBirthRecognizer
from recognizers.email import EmailRecognizer
from recognizers.jmb import JmbRecognizer
from recognizers.mrz import MrzRecognizer
from recognizers.my_number import MyNumberRecognizer
from recognizers.passport import PassportRecognizer
from recognizers.person import PersonRecognizer
from recognizers.phone import PhoneRecognizer
from recognizers.special_care import SpecialCareRecognizer

RECOGNIZERS: tuple[type[PiiRecognizer], ...] = (
    CreditCardRecognizer,
    MaskedCardRecognizer,
    CardExpirationRecognizer,
    CardSecurityCodeRecognizer,
    TrackDataRecognizer,
    MyNumberRecognizer,
    PassportRecognizer,
    MrzRecognizer,
    JmbRecognizer,
    PersonRecognizer,
    AddressRecognizer,
    PhoneRecognizer,
    DateOfBirthRecognizer,
    EmailRecognizer,
    SpecialCareRecognizer,
)


def default_recognizers(language: str = "en", ner: bool | None = None) -> list[PiiRecognizer]:
    """Fresh instances of every recognizer for one Presidio language code.

    `ner`: add the Japanese NER boost (GiNZA); None = when `ja-ginza` is installed.
    """
    recognizers = [cls(supported_language=language) for cls in RECOGNIZERS]
    from recognizers.ner import JapaneseNerRecognizer, ginza_available

    if ner or (ner is None and ginza_available()):
        recognizers.append(JapaneseNerRecognizer(supported_language=language))
    return recognizers


__all__ = ["RECOGNIZERS", "PiiRecognizer", "default_recognizers"]
