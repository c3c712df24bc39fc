"""One logging set-up for every command: to stderr, with the time and the logger's name.

Presidio logs every recognizer it instantiates at INFO ("Loaded recognizer: …");
that is noise for an operator, so it is shown only at DEBUG. Nothing piiscan logs
holds a scanned value (masking happens before anything is logged).
"""

from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CHATTY_LIBRARIES = ("presidio-analyzer",)


def setup_logging(level: str) -> None:
    numeric = getattr(logging, level.upper(), logging.WARNING)
    logging.basicConfig(level=numeric, stream=sys.stderr, format=FORMAT)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING))
