"""The compose stack's demo producer publishes its rounds of sample reports to a real broker."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from conftest import Topics
from deidstream.tools.dev import sample_messages
from deidstream.tools.topic_tail import TopicTail
from deploy_files import DEPLOY

pytestmark = pytest.mark.integration


def test_publishes_the_samples_round_after_round(topics: Topics) -> None:
    command = [
        sys.executable, str(DEPLOY / "demo" / "publish_samples.py"),
        "--bootstrap-servers", topics.broker.bootstrap_servers, "--topic", topics.raw,
        "--reports", "2", "--rounds", "2", "--interval-s", "0",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

    expected = sorted(key for key, _ in sample_messages(2)) * 2
    tail = TopicTail(topics.broker.bootstrap_servers, [topics.raw])
    keys: list[str] = []
    deadline = time.monotonic() + 30
    try:
        while len(keys) < len(expected) and time.monotonic() < deadline:
            keys.extend(message.key().decode() for message in tail.poll(0.5))
    finally:
        tail.close()
    assert sorted(keys) == sorted(expected)
