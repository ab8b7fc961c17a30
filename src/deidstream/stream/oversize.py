"""A record the producer or broker refuses for its size still ends up somewhere: in quarantine, smaller.

Retrying a record that is too large fails forever and holds every partition
behind it; dropping it loses a report. So a refused clean record is replaced by a
quarantine record (`output_too_large`) with the raw input value, which is smaller
than its anonymized form grew to; and a refused quarantine record, whose raw value
itself is too large (an input the worker already found `too_large`), by one
without the value or the input headers. That last record keeps the reason, the
source topic, partition and offset, so the report can be fetched from the input
topic while its retention lasts, and the input's valid W3C trace context.
"""

from __future__ import annotations

from collections import Counter

from confluent_kafka import KafkaError

from deidstream.stream.input_headers import trace_context
from deidstream.stream.pipeline import (
    HEADER_QUARANTINE_DETAIL,
    HEADER_QUARANTINE_REASON,
    HEADER_SOURCE_OFFSET,
    HEADER_SOURCE_PARTITION,
    HEADER_SOURCE_TOPIC,
)
from deidstream.stream.records import OutputRecord, ProcessingFailure

# librdkafka uses the broker's code for its own check against message.max.bytes too.
SIZE_ERRORS = {KafkaError.MSG_SIZE_TOO_LARGE}
_SOURCE = (HEADER_SOURCE_TOPIC, HEADER_SOURCE_PARTITION, HEADER_SOURCE_OFFSET)


def smaller_record(record: OutputRecord, quarantine_topic: str) -> OutputRecord | None:
    """The record to produce instead of one refused for its size; None when nothing smaller is left to try."""
    size = len(record.value or b"")
    if record.quarantine_reason is None:
        value = record.source.value
        headers = record.source.headers
        detail = f"the clean record of {size} bytes was refused for its size; the raw value is kept"
    elif record.value is not None:
        value = None
        headers = trace_context(record.source.headers)
        detail = f"the raw value of {size} bytes was refused for its size; read it from the source offset"
    else:
        return None
    source = [(name, value_) for name, value_ in record.headers if name in _SOURCE]
    return OutputRecord(
        source=record.source,
        topic=quarantine_topic,
        value=value,
        headers=headers
        + source
        + [
            (HEADER_QUARANTINE_REASON, ProcessingFailure.OUTPUT_TOO_LARGE.value.encode()),
            (HEADER_QUARANTINE_DETAIL, detail.encode()),
        ],
        entity_counts=Counter(),
        quarantine_reason=ProcessingFailure.OUTPUT_TOO_LARGE,
    )
