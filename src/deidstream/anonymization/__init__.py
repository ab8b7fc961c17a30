"""Replacing detected PHI by policy: operators (tag, redact, mask, surrogate, token, date shift, encrypt).

Takes text and entities, returns text; it never detects and never touches Kafka.
"""
