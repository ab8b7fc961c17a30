"""Which input headers reach clean records: valid W3C trace context, the headers `pass_headers` names, nothing else."""

from __future__ import annotations

import re
import tomllib

import pytest
from prometheus_client import REGISTRY
from pydantic import ValidationError

from conftest import REPO_ROOT
from deidstream.config import Settings
from deidstream.detection.engine import Engine
from deidstream.stream.input_headers import passed_headers
from deidstream.stream.pipeline import BatchProcessor
from deidstream.stream.records import SourceMessage
from deidstream.stream.topic_anonymizers import TopicAnonymizers

TRACEPARENT = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
TRACESTATE = b"congo=t61rcWkgMzE, rojo=00f067aa0ba902b7, tenant1@vendor=opaque value"


def test_valid_trace_context_passes_and_other_headers_do_not() -> None:
    headers = [("mrn", b"MRN-0042"), ("traceparent", TRACEPARENT), ("tracestate", TRACESTATE), ("source", b"ris")]
    passed = passed_headers(headers, [])
    assert passed.headers == [("traceparent", TRACEPARENT), ("tracestate", TRACESTATE)]
    assert passed.dropped == ()


@pytest.mark.parametrize(
    "traceparent",
    [
        b"00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",  # upper case
        b"00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # all-zero trace id
        b"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # all-zero parent id
        b"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # the forbidden version
        b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  # version 00 has nothing after the flags
        b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  # no flags
        b"Jane Doe, MRN 0042",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0é".encode(),
        None,
    ],
)
def test_a_malformed_traceparent_is_dropped_with_its_tracestate(traceparent: bytes | None) -> None:
    passed = passed_headers([("traceparent", traceparent), ("tracestate", TRACESTATE)], ["traceparent"])
    assert passed.headers == [], "listing it in pass_headers does not bypass the check"
    assert passed.dropped == ("traceparent", "tracestate")


def test_a_later_version_may_append_fields() -> None:
    later = b"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-0a0b"
    assert passed_headers([("traceparent", later)], []).headers == [("traceparent", later)]


@pytest.mark.parametrize(
    "tracestate",
    [
        b"Congo=t61rcWkgMzE",  # a key starts with a lower-case letter
        b"congo=a,congo=b",  # a key twice
        b"congo=",  # no value
        b"congo=a=b",
        ",".join(f"k{index}=v" for index in range(33)).encode(),  # more than 32 members
    ],
)
def test_a_malformed_tracestate_is_dropped_but_its_traceparent_passes(tracestate: bytes) -> None:
    passed = passed_headers([("traceparent", TRACEPARENT), ("tracestate", tracestate)], [])
    assert passed.headers == [("traceparent", TRACEPARENT)]
    assert passed.dropped == ("tracestate",)


def test_trace_context_given_twice_or_a_lone_tracestate_is_dropped() -> None:
    twice = passed_headers([("traceparent", TRACEPARENT), ("traceparent", TRACEPARENT)], [])
    assert (twice.headers, twice.dropped) == ([], ("traceparent",))
    lone = passed_headers([("tracestate", TRACESTATE)], [])
    assert (lone.headers, lone.dropped) == ([], ("tracestate",))


def test_pass_headers_adds_headers_by_exact_name_in_input_order() -> None:
    headers = [("Source", b"a"), ("source", b"ris"), ("x-request-id", None), ("source", b"pacs"), ("mrn", b"1")]
    passed = passed_headers(headers, ["source", "x-request-id"])
    assert passed.headers == [("source", b"ris"), ("x-request-id", None), ("source", b"pacs")]


def test_pass_headers_is_worker_wide_or_per_topic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEIDSTREAM_PASS_HEADERS", "source, x-request-id")
    settings = Settings(
        input_topic=["raw", "raw-json"],
        formats={"raw-json": {"format": "json", "text_paths": ["t"], "pass_headers": []}},
    )
    assert settings.passed_header_names("raw") == ["source", "x-request-id"]
    assert settings.passed_header_names("raw-json") == [], "a topic's own list replaces the worker-wide one"


def test_pass_headers_refuses_deidstreams_own_headers_and_the_patient_key_header() -> None:
    with pytest.raises(ValidationError, match="written by deidstream itself"):
        Settings(pass_headers=["deidstream.policy"])
    policy = {"id": "p", "version": "1", "default": "redact", "patient_key": {"source": "header", "name": "mrn"}}
    with pytest.raises(ValidationError, match="reads the patient key from"):
        Settings(input_topic=["raw"], formats={"raw": {"pass_headers": ["mrn"]}}, policy=policy)


def dropped_count(header: str) -> float:
    return REGISTRY.get_sample_value("deidstream_trace_context_dropped_total", {"header": header}) or 0.0


def test_clean_and_quarantine_records_carry_the_trace_context(engine: Engine) -> None:
    settings = Settings(pass_headers=["source"], quarantine_topic="q")
    processor = BatchProcessor(settings, engine, TopicAnonymizers(settings, None))
    trace = [("traceparent", TRACEPARENT), ("tracestate", TRACESTATE)]
    headers = [*trace, ("source", b"ris"), ("mrn", b"MRN-0042")]
    malformed = [("traceparent", b"not-a-trace"), ("source", b"ris")]
    before = dropped_count("traceparent")

    clean, quarantined, clean_untraced = processor.process(
        [
            SourceMessage("raw", 0, 0, b"k", b"Patient John Smith was seen.", headers),
            SourceMessage("raw", 0, 1, b"k", b"\xff", headers),
            SourceMessage("raw", 0, 2, b"k", b"Patient John Smith was seen.", malformed),
        ]
    )

    assert clean.quarantine_reason is None and clean.headers[:3] == [*trace, ("source", b"ris")]
    assert "mrn" not in dict(clean.headers), "a header pass_headers does not name never reaches clean"
    assert quarantined.quarantine_reason is not None and quarantined.headers[: len(headers)] == headers
    assert "traceparent" not in dict(clean_untraced.headers) and ("source", b"ris") in clean_untraced.headers
    assert dropped_count("traceparent") == before + 1


def test_the_readme_example_loads() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = [
        block for block in re.findall(r"```toml\n(.*?)```", readme, re.DOTALL) if block.startswith("pass_headers")
    ]
    settings = Settings(input_topic=["ehr.reports.raw", "ehr.reports.json"], **tomllib.loads(example))
    assert settings.passed_header_names("ehr.reports.raw") == ["source-system"]
    assert settings.passed_header_names("ehr.reports.json") == ["source-system", "message-type"]
