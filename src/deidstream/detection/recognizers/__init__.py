"""Recognizers, one per module, grouped by what they find; `detection/catalogue.py` lists them in the engine's order.

Each proposes candidates, and the engine keeps their union less what a veto shows
is not PHI. A recognizer imports the base (`detection.base`), the lexicons and the
entity types, never another recognizer.
"""
