"""One logging set-up for every command: to stderr, with the time and the logger's name.

Presidio logs every recognizer it instantiates at INFO ("Loaded recognizer: …");
that is noise for an operator, so it is shown only at DEBUG.

Every handler of the root logger (and `logging.lastResort`) gets the scrub
filter (`scanner.scrubbing.ScrubFilter`): a library that logs the row it choked
on, or a warning that names a table called after a card number, is masked on
the way out, at every level, DEBUG included. A handler filter sees the records
of every logger that propagates to it, which a logger filter would not.
"""

from __future__ import annotations

import logging
import sys

from scanner.scrubbing import install_filter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CHATTY_LIBRARIES = ("presidio-analyzer",)


def setup_logging(level: str) -> None:
    numeric = getattr(logging, level.upper(), logging.WARNING)
    logging.basicConfig(level=numeric, stream=sys.stderr, format=FORMAT)
    logging.getLogger().setLevel(numeric)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING))
    scrub_handlers()


def scrub_handlers() -> None:
    """Install the scrub filter on every handler that can emit a record (idempotent)."""
    for handler in logging.getLogger().handlers:
        install_filter(handler)
    if logging.lastResort is not None:
        install_filter(logging.lastResort)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        for handler in getattr(logger, "handlers", ()):
            install_filter(handler)
