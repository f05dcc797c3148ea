"""dyad: read relations articles into cited, dated facts about pairs of countries.

>>> from dyad import extract_file
>>> doc = extract_file("examples/belgium-syria-relations.txt")
>>> doc.parties
('BEL', 'SYR')
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import DyadError, InputError, RulesError, StoreError, UnknownActorError
from .kb import KnowledgeBase, open
from .model import Document, Evidence, Fact, Named, Source
from .pipeline import extract_file, extract_many, extract_text

__all__ = [
    "Document",
    "DyadError",
    "KnowledgeBase",
    "open",
    "Evidence",
    "Fact",
    "InputError",
    "Named",
    "RulesError",
    "Source",
    "StoreError",
    "UnknownActorError",
    "extract_file",
    "extract_many",
    "extract_text",
    "__version__",
]
