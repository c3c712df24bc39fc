"""Entity types a policy or an inventory names but no recognizer finds (yet).

Why they are declared here: a policy file can list them (a `gender` column
declared in the inventory, flight numbers in travel details) and reports must
label them in Japanese and English. A recognizer registered for one of them
later takes over its spec (`recognizers.registry.spec_for` prefers it).
"""

from __future__ import annotations

from recognizers import registry
from recognizers.spec import EntitySpec

_DECLARED: dict[str, EntitySpec] = {
    "PERSON_KANA": EntitySpec("Name (kana)", "氏名(カナ)", None),
    "PASSPORT_MRZ": EntitySpec("Passport MRZ", "旅券MRZ", "passport"),
    "NATIONALITY": EntitySpec("Nationality", "国籍", "identity"),
    "AGE": EntitySpec("Age", "年齢", "identity"),
    "GENDER": EntitySpec("Gender", "性別", "identity"),
    "FAX_NUMBER": EntitySpec("Fax number", "FAX番号", "contact"),
    "TRAVEL_ITINERARY": EntitySpec("Itinerary", "旅程", "travel_details"),
    "BOOKING_REFERENCE": EntitySpec("Booking reference", "予約番号", "travel_details"),
    "FLIGHT_NUMBER": EntitySpec("Flight number", "便名", "travel_details"),
    "TRAVEL_DETAILS": EntitySpec("Travel details", "旅行内容", None),
}

for _entity, _spec in _DECLARED.items():
    registry.declare(_entity, _spec)
