"""Which input headers a clean record carries: W3C trace context, and the headers the settings name.

Input headers are not copied to the clean topic: an EHR system may put a
patient's identifier in one. Two are the exception. W3C Trace Context
(`traceparent`, `tracestate`; https://www.w3.org/TR/trace-context/) lets ops teams
follow a report across services, and `traceparent` is random by design: a version,
a trace id, a parent id and flags, all hexadecimal. They are copied only when they
keep that format, so a header of that name cannot smuggle anything else through;
a malformed one (or one given twice) is dropped, and the caller counts it. A
`tracestate` is only meaningful next to a valid `traceparent` (the W3C rule), and
is copied only then. Any other header passes only when `pass_headers` names it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
TRACE_CONTEXT_HEADERS = (TRACEPARENT, TRACESTATE)

Header = tuple[str, bytes | None]

# version "-" trace-id "-" parent-id "-" trace-flags; a later version may append "-" and fields of its own.
_TRACEPARENT = re.compile(r"(?P<version>[0-9a-f]{2})-(?P<trace>[0-9a-f]{32})-(?P<parent>[0-9a-f]{16})-[0-9a-f]{2}")
_LATER_VERSION_FIELDS = re.compile(r"(-[0-9a-f-]*)?")
# list-member = key "=" value; key: simple-key or tenant-id "@" system-id; value: printable ASCII without "," and "=".
_TRACESTATE_MEMBER = re.compile(
    r"(?P<key>[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})"
    r"=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]"
)
TRACESTATE_MAX_MEMBERS = 32


@dataclass(frozen=True)
class PassedHeaders:
    """The input headers to copy to a clean record, and the names of the trace context headers left out."""

    headers: list[Header]
    dropped: tuple[str, ...]


def passed_headers(headers: Sequence[Header], pass_headers: Collection[str]) -> PassedHeaders:
    """The valid trace context, then every other header `pass_headers` names, in their input order.

    Trace context passes only through its own check, even where `pass_headers` names it.
    """
    trace_context, dropped = _trace_context(headers)
    named = [(name, value) for name, value in headers if name in pass_headers and name not in TRACE_CONTEXT_HEADERS]
    return PassedHeaders(trace_context + named, dropped)


def trace_context(headers: Sequence[Header]) -> list[Header]:
    """Only the valid W3C trace context headers (for records that keep nothing else of the input)."""
    return _trace_context(headers)[0]


def _trace_context(headers: Sequence[Header]) -> tuple[list[Header], tuple[str, ...]]:
    parents = [value for name, value in headers if name == TRACEPARENT]
    states = [value for name, value in headers if name == TRACESTATE]
    if not parents:
        return [], (TRACESTATE,) if states else ()
    if len(parents) > 1 or not _valid_traceparent(parents[0]):
        return [], (TRACEPARENT, TRACESTATE) if states else (TRACEPARENT,)
    copied: list[Header] = [(TRACEPARENT, parents[0])]
    if not states:
        return copied, ()
    if len(states) > 1 or not _valid_tracestate(states[0]):
        return copied, (TRACESTATE,)
    return [*copied, (TRACESTATE, states[0])], ()


def _valid_traceparent(value: bytes | None) -> bool:
    text = _ascii(value)
    match = _TRACEPARENT.match(text) if text is not None else None
    if text is None or match is None or match["version"] == "ff":
        return False
    if set(match["trace"]) == {"0"} or set(match["parent"]) == {"0"}:
        return False
    rest = text[match.end() :]
    return rest == "" if match["version"] == "00" else _LATER_VERSION_FIELDS.fullmatch(rest) is not None


def _valid_tracestate(value: bytes | None) -> bool:
    text = _ascii(value)
    if text is None:
        return False
    members = [member.strip(" \t") for member in text.split(",")]
    members = [member for member in members if member]  # empty list members are allowed
    matches = [_TRACESTATE_MEMBER.fullmatch(member) for member in members]
    if len(members) > TRACESTATE_MAX_MEMBERS or any(match is None for match in matches):
        return False
    keys = [match["key"] for match in matches if match is not None]
    return len(keys) == len(set(keys))


def _ascii(value: bytes | None) -> str | None:
    if value is None:
        return None
    try:
        return value.decode("ascii")
    except UnicodeDecodeError:
        return None
