"""ner: the trained PHI NER's entities as candidates."""
