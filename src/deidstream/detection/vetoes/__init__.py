"""Vetoes: the only rules that drop a candidate span, each showing the span is not PHI; `detection/catalogue.py`
lists them in the engine's order."""
