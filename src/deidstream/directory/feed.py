"""New identifiers of a patient into the directory: the record that holds everything known of them.

The directory topic is compacted, so only a key's last record survives: each record
must carry the patient's whole entry, not the news. A registration therefore merges
what it says into what the directory already knows (a later ADT^A08 adds a new
phone number; it does not make the old name unknown), and writes nothing when it
says nothing new. Workers and `deidstream directory load` feed the directory alike.
"""

from __future__ import annotations

from deidstream.directory.codec import DirectoryCodec
from deidstream.formats.seeds import KnownIdentifiers


class DirectoryFeed:
    """Merges and encrypts directory entries under one secret."""

    def __init__(self, codec: DirectoryCodec) -> None:
        self._codec = codec

    def update(
        self, record_key: bytes, current: KnownIdentifiers | None, news: KnownIdentifiers
    ) -> tuple[KnownIdentifiers, bytes] | None:
        """The merged entry and its encrypted value, or None when `news` adds nothing (or holds nothing)."""
        news = news.about_patient()
        if news.is_empty or (current is not None and current.covers(news)):
            return None
        merged = news if current is None else current.merged(news)
        return merged, self._codec.encrypt(record_key, merged)
