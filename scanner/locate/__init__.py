"""Data-subject requests (privacy policy §3): find everything held about one person.

identifiers (who) -> plan (which classified fields) -> search (lookup pushed down
to databases, files streamed) -> matching (salted hashes, row rules, strength)
-> report (JSON, ja/en text and HTML) and audit (the state store's trail).
"""
