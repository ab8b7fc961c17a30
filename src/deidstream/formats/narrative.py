"""XHTML narratives (`text.div`): their text for the engine, their markup kept.

A narrative is read with the standard library's HTML parser into markup and the
runs of text between tags. The runs go to the engine as one text, joined by a
separator the engine reads as a boundary, so a name split by inline markup or
spread over a table row keeps its context; the anonymized text is split again
and each run put back in its place, escaped. Should a replacement ever swallow a
separator, the runs can no longer be told apart: the narrative is then written
as its anonymized text alone, in a plain `div` (markup lost, nothing else).

Attributes are kept only where they lay out the text (`class`, `style`,
`colspan`, ...); those that can hold words or addresses (`title`, `alt`, `href`,
`src`, `id`) are dropped, and so are comments and any `script` or `style`
element (FHIR allows neither in a narrative).
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

# Between the runs of one narrative in the engine's text: a private-use character on a line of its own.
SEPARATOR = "\n\ue000\n"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
LAYOUT_ATTRIBUTES = frozenset(
    {
        "xmlns", "class", "style", "colspan", "rowspan", "span", "align", "valign", "width", "height", "border",
        "cellpadding", "cellspacing", "scope", "lang", "xml:lang", "dir", "start", "type", "value",
    }
)  # fmt: skip
SKIPPED_ELEMENTS = frozenset({"script", "style"})


class Narrative:
    """The markup of one narrative, with a slot for each run of text."""

    def __init__(self, div: str) -> None:
        reader = _Reader()
        reader.feed(div)
        reader.close()
        self._parts = reader.parts
        self.runs: list[str] = [part for is_text, part in reader.parts if is_text]

    @property
    def text(self) -> str:
        """What the engine reads: the runs, joined by `SEPARATOR`."""
        return SEPARATOR.join(self.runs)

    def render(self, anonymized: str) -> str:
        """The narrative with its runs replaced by the pieces of `anonymized` (the engine's result on `text`)."""
        runs = anonymized.split(SEPARATOR) if self.runs else []
        if len(runs) != len(self.runs):
            return f'<div xmlns="{XHTML_NAMESPACE}">{escape(anonymized.replace(SEPARATOR, " "), quote=False)}</div>'
        pieces = iter(runs)
        return "".join(escape(next(pieces), quote=False) if is_text else part for is_text, part in self._parts)


class _Reader(HTMLParser):
    """Markup (rebuilt, attributes filtered) and runs of text, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[bool, str]] = []  # (is a run of text, markup or text)
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._tag(tag, attrs, "/"):
            self._skipping.pop()  # an empty element: nothing inside it to skip

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        self.parts.append((False, f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if data.strip():
            self.parts.append((True, data))
        else:
            self.parts.append((False, escape(data, quote=False)))

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closing: str) -> bool:
        """Writes the tag, or (in or at a skipped element) notes it is skipped and returns True."""
        if self._skipping or tag in SKIPPED_ELEMENTS:
            self._skipping.append(tag)
            return True
        kept = "".join(
            f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs if name in LAYOUT_ATTRIBUTES
        )
        self.parts.append((False, f"<{tag}{kept}{closing}>"))
        return False
