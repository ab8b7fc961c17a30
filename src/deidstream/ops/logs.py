"""Logging set-up shared by every command.

Log lines carry topics, partitions, offsets, counts and reasons; never message
content. Presidio's own loggers are held at ERROR: at INFO they describe recognizer
decisions, and at WARNING they repeat, at every start, that recognizers for other
languages were not loaded.
"""

from __future__ import annotations

import logging
import sys

NOISY_LIBRARIES = ("presidio-analyzer", "presidio-anonymizer", "presidio_analyzer", "presidio_anonymizer")


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(processName)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in NOISY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.ERROR)
