"""Held-out evaluation corpus: generated data piiscan was never tuned on (see generate_corpus.py)."""
