"""Imported by the process that extraction processes are forked from (:mod:`dyad.web.extractor`).

Importing it loads the readers and the extraction rules and builds the gazetteer, by extracting a
short article written here, so that every process forked afterwards starts with them in memory.
"""

from __future__ import annotations

from dyad.pipeline import extract_text

#: A short article that touches the reader, the rules and the gazetteer.
SAMPLE = """= Belgium–Syria relations =

Belgium and Syria established diplomatic relations in 1946. Belgium has an embassy in Damascus.
"""

extract_text(SAMPLE, "warm.txt")
