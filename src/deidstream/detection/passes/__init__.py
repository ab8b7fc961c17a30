"""Post-passes: what the engine does to the union of candidates besides vetoing (names grown, mentions found)."""
