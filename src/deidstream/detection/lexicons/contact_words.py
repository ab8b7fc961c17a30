"""Words that say a number reaches someone (`pager`, `cell`, `call back at`), and the extension after a number.

Source: our own list (Apache-2.0, as the project) of the words notes use for
phones, pagers and voicemail; no corpus. The phone recognizer reads a short number only after one of them, and
the phone-owner recognizer reads the name before one of them and a number.
"""

from __future__ import annotations

CONTACT_WORDS = (
    r"pager|beeper|bpr|pg|page|cell|mobile|home|work|office|phone|ph|tel|telephone|fax|ext|extension|x|contact|"
    r"call|call(?:ed|s)?[ \t]+at|reached[ \t]+at|voicemail|vm|callback|call[ \t]+back(?:[ \t]+at)?"
)
# `x03423`, ` ext. 12`, ` extension 4410` after a number
EXTENSION = r"(?:[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,6})?"
