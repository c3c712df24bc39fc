"""piiscan's Presidio recognizers, one module per identifier.

A new identifier is one new module (a `PiiRecognizer` subclass with its `SPEC`:
mask rule, ja/en labels, default policy category) plus one `registry.register`
line below. Every class is a Presidio `EntityRecognizer`: add them to your own
`AnalyzerEngine` (`recognizers.engine.build_analyzer` builds an offline one), or
let piiscan's vectorised engine run them over whole columns.
"""

from __future__ import annotations

from recognizers import declared  # noqa: F401  (entity types named by policies, no recognizer)
from recognizers.address import AddressRecognizer
from recognizers.base import PiiRecognizer
from recognizers.card_expiration import CardExpirationRecognizer
from recognizers.card_security_code import CardSecurityCodeRecognizer
from recognizers.credit_card import CreditCardRecognizer
from recognizers.date_of_birth import DateOfBirthRecognizer
from recognizers.email import EmailRecognizer
from recognizers.jmb import JmbRecognizer
from recognizers.masked_card import MaskedCardRecognizer
from recognizers.mrz import MrzRecognizer
from recognizers.my_number import MyNumberRecognizer
from recognizers.passport import PassportRecognizer
from recognizers.person import PersonRecognizer
from recognizers.phone import PhoneRecognizer
from recognizers.registry import RECOGNIZERS, register
from recognizers.special_care import SpecialCareRecognizer
from recognizers.track_data import TrackDataRecognizer

# Detection order (earlier recognizers' hits are listed first).
register(CreditCardRecognizer)
register(MaskedCardRecognizer)
register(CardExpirationRecognizer)
register(CardSecurityCodeRecognizer)
register(TrackDataRecognizer)
register(MyNumberRecognizer)
register(PassportRecognizer)
register(MrzRecognizer)
register(JmbRecognizer)
register(PersonRecognizer)
register(AddressRecognizer)
register(PhoneRecognizer)
register(DateOfBirthRecognizer)
register(EmailRecognizer)
register(SpecialCareRecognizer)


def default_recognizers(language: str = "en", ner: bool | None = None) -> list[PiiRecognizer]:
    """Fresh instances of every registered recognizer for one Presidio language code.

    `ner`: add the Japanese NER boost (GiNZA); None = when `ja-ginza` is installed.
    """
    recognizers = [cls(supported_language=language) for cls in RECOGNIZERS]
    from recognizers.ner import JapaneseNerRecognizer, ginza_available

    if ner or (ner is None and ginza_available()):
        recognizers.append(JapaneseNerRecognizer(supported_language=language))
    return recognizers


__all__ = ["RECOGNIZERS", "PiiRecognizer", "default_recognizers", "register"]
