"""site: recognizers a deployment adds without code, from its settings: word lists, patterns and rosters."""
