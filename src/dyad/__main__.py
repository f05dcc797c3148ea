"""``python -m dyad`` runs the CLI."""

from .cli import main

main()
