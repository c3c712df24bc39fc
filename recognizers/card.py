"""Payment-card data (クレジットカード情報), one module per identifier.

PCI DSS calls these cardholder data and sensitive authentication data:

- `recognizers.credit_card`: a full PAN in clear (``CREDIT_CARD``);
- `recognizers.masked_card`: a truncated / masked PAN (``CREDIT_CARD_MASKED``);
- `recognizers.card_expiration`: the expiry date (``CARD_EXPIRATION``);
- `recognizers.card_security_code`: CVV2 / CVC2 / CAV2 / CID (``CARD_SECURITY_CODE``);
- `recognizers.track_data`: magnetic-stripe track 1 / 2 (``CARD_TRACK_DATA``);
- `recognizers.card_iin`: what they share (the IIN table, `compact`, context words).

This module only gathers them, for callers that want every card recognizer at once.
"""

from __future__ import annotations

from recognizers.base import PiiRecognizer
from recognizers.card_expiration import CardExpirationRecognizer, parse_expiration
from recognizers.card_iin import CARD_WORDS, IIN_RANGES, NOT_CARD_WORDS, IinRange, card_brand, compact
from recognizers.card_security_code import CardSecurityCodeRecognizer
from recognizers.credit_card import CreditCardRecognizer, is_valid_pan, is_valid_pan_many
from recognizers.masked_card import MaskedCardRecognizer, is_last_four, is_masked_pan
from recognizers.track_data import TrackDataRecognizer, is_track_data, track1_name_span

CARD_RECOGNIZERS: tuple[type[PiiRecognizer], ...] = (
    CreditCardRecognizer,
    MaskedCardRecognizer,
    CardExpirationRecognizer,
    CardSecurityCodeRecognizer,
    TrackDataRecognizer,
)


def card_recognizers(supported_language: str = "en") -> list[PiiRecognizer]:
    """One instance of every card-data recognizer, for a registry or the detector."""
    return [cls(supported_language=supported_language) for cls in CARD_RECOGNIZERS]


__all__ = [
    "CARD_RECOGNIZERS", "CARD_WORDS", "IIN_RANGES", "NOT_CARD_WORDS", "CardExpirationRecognizer",
    "CardSecurityCodeRecognizer", "CreditCardRecognizer", "IinRange", "MaskedCardRecognizer",
    "TrackDataRecognizer", "card_brand", "card_recognizers", "compact", "is_last_four", "is_masked_pan",
    "is_track_data", "is_valid_pan", "is_valid_pan_many", "parse_expiration", "track1_name_span",
]
