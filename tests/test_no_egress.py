"""No egress: a worker de-identifying URLs and e-mail addresses opens no connection but the broker's.

A `sitecustomize` put on the worker's PYTHONPATH installs an audit hook in the
supervisor and (by fork) in every worker process. It records and refuses every
Python-level name lookup and connection that is not to the broker; librdkafka's own
sockets (to the broker) are not Python's and pass unseen. tldextract's cache
directory is pointed at an empty directory: without deidstream.offline it would
download the public suffix list there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import Topics, header
from deidstream.stream.pipeline import HEADER_ENTITIES

pytestmark = pytest.mark.integration

GUARD = """
import json
import os
import socket
import sys

_LOG = os.environ["DEIDSTREAM_TEST_EGRESS_LOG"]
_BROKER = os.environ["DEIDSTREAM_TEST_BROKER"]
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _refuse(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {what}\\n")
    raise OSError(f"egress refused by the test guard: {what}")


def _guard(event, args):
    if event == "socket.getaddrinfo":
        if str(args[0]) not in _LOOPBACK:
            _refuse(f"getaddrinfo {args[0]}:{args[1]}")
    elif event == "socket.connect":
        sock, address = args
        if sock.family in (socket.AF_INET, socket.AF_INET6) and f"{address[0]}:{address[1]}" != _BROKER:
            _refuse(f"connect {address[0]}:{address[1]}")


sys.addaudithook(_guard)
"""

TEXTS = [
    "Patient Jane Roe wrote from jane.roe@example-clinic.org about her results.",
    "Portal https://portal.example-hospital.com/records/4417 lists the visit of John Smith.",
    "Forward to dr.alan.brown@mercy-example.net and see www.example-radiology.co.uk/films.",
    "Contact: m.gonzalez@example.edu, http://intranet.example.org:8080/path?id=77.",
]


def test_urls_and_e_mail_addresses_are_processed_without_any_connection_but_the_broker(
    topics: Topics, start_worker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    egress_log = tmp_path / "egress.log"
    tld_cache = tmp_path / "tldextract-cache"
    tld_cache.mkdir()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(guard_dir), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("DEIDSTREAM_TEST_EGRESS_LOG", str(egress_log))
    monkeypatch.setenv("DEIDSTREAM_TEST_BROKER", topics.broker.bootstrap_servers)
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tld_cache))
    monkeypatch.delenv("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", raising=False)
    topics.publish([(f"k{index}".encode(), text.encode()) for index, text in enumerate(TEXTS)])

    worker = start_worker(topics)
    received = topics.collect(len(TEXTS))
    assert worker.terminate() == 0

    assert len(received) == len(TEXTS) and {m.topic() for m in received} == {topics.clean}
    found: dict[str, int] = {}
    for message in received:
        for entity_type, count in json.loads(header(message, HEADER_ENTITIES)).items():
            found[entity_type] = found.get(entity_type, 0) + count
        clean = message.value().decode()
        assert "@" not in clean and "example-" not in clean, "addresses and URLs are replaced"
    assert found.get("EMAIL_ADDRESS", 0) >= 3 and found.get("URL", 0) >= 3, found
    assert not egress_log.exists(), f"connections other than the broker's: {egress_log.read_text()}"
    assert not any(tld_cache.iterdir()), "tldextract wrote a cache"
