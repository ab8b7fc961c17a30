"""No egress: the public suffix list comes from tldextract's bundled snapshot, never from the internet.

Presidio's e-mail recognizer asks `tldextract` whether an address has a real
domain. Left alone, tldextract downloads the Public Suffix List on first use and
writes it to a cache in the user's home directory: a worker that handles PHI would
open a connection to the internet and write outside its own directory. Here its
module-wide extractor, the one `tldextract.extract` uses, is replaced by one that
has no list URLs and no cache, so it reads the snapshot shipped in its wheel. The
snapshot ages with the installed tldextract; a release of it refreshes the list.
"""

from __future__ import annotations

import tldextract
import tldextract.tldextract


def use_bundled_suffix_list() -> None:
    """Make every `tldextract.extract` call (Presidio's included) read the bundled snapshot, with no fetch, no cache."""
    extractor = tldextract.tldextract.TLD_EXTRACTOR
    if extractor.suffix_list_urls or extractor._cache.enabled:  # noqa: SLF001 - no public way to ask
        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )
