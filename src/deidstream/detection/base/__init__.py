"""What recognizers and vetoes build on: the shapes of a recognizer, the scan for a name next to a cue, a labelled
identifier, and what a veto is. Recognizers and vetoes import this, the lexicons and the entity types, never each
other (an import-linter contract in pyproject.toml)."""
