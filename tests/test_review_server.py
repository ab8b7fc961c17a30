"""The review server's rules, over HTTP: the token, the security headers, the API's refusals, no PHI in its log."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from deidstream.entity import Entity
from deidstream.review.server import ReviewApp
from deidstream.review.store import NewReport, NewText, Provenance, ReviewStore

TOKEN = "test-token-0123456789"
TEXT = "Seen by Dr. Quist with Ansel Brack on 3/14/2031."


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    provenance = Provenance("Test Reviewer", "files x", None, 1, "text", "none", "deidstream-0", "model-0", "0")
    detections = [Entity(8, 17, "PERSON", 0.9, "a"), Entity(23, 34, "PERSON", 0.9, "b")]
    report = NewReport("n1", "text", TEXT, "clean", None, [NewText("text", TEXT, detections)])
    store = ReviewStore.create(tmp_path / "review.db", provenance, [report])
    return TestClient(ReviewApp(store, TOKEN, recall_target=0.95).asgi())  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["/", "/summary", "/api/reports/1", "/static/review.js", "/signoff.json", "/nowhere"])
def test_every_request_without_the_token_is_refused(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 403
    assert client.get(path, params={"token": "wrong"}).status_code == 403
    assert client.get(path, headers={"X-Review-Token": TOKEN[:-1]}).status_code == 403


def test_with_the_token_pages_load_with_the_security_headers(client: TestClient) -> None:
    response = client.get("/", params={"token": TOKEN})
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["cache-control"].startswith("no-store")
    assert response.headers["x-frame-options"] == "DENY" and response.headers["referrer-policy"] == "no-referrer"
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.text) == [], "no inline script"
    assert "http://" not in response.text and "https://" not in response.text, "no asset from elsewhere"
    assert (
        client.get("/static/review.js", headers={"X-Review-Token": TOKEN})
        .headers["cache-control"]
        .startswith("no-store")
    )


def test_the_api_refuses_bad_changes_with_a_reason(client: TestClient) -> None:
    headers = {"X-Review-Token": TOKEN}
    text_id = client.get("/api/reports/1", headers=headers).json()["texts"][0]["id"]
    assert client.post(f"/api/texts/{text_id}/missed", headers=headers, json={"start": 0, "end": 4, "type": "NAME"})
    refused = client.post(f"/api/texts/{text_id}/missed", headers=headers, json={"start": 0, "end": 4, "type": "NAME"})
    assert refused.status_code == 400 and "unknown entity type" in refused.text
    outside = client.post(f"/api/texts/{text_id}/missed", headers=headers, json={"start": 40, "end": 99, "type": "ID"})
    assert outside.status_code == 400 and "not inside" in outside.text
    assert client.post("/api/detections/99", headers=headers, json={"verdict": "false_alarm"}).status_code == 400
    assert client.get("/api/reports/5", headers=headers).status_code == 400
    assert client.post("/api/reports/1/reviewed", headers=headers, content=b"not json").status_code == 400


def test_the_log_has_paths_and_statuses_but_no_token_or_text(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"X-Review-Token": TOKEN}
    with caplog.at_level(logging.INFO, logger="deidstream.review.server"):
        client.get("/", params={"token": TOKEN})
        report = client.get("/api/reports/1", headers=headers).json()
        detection = report["texts"][0]["detections"][0]["id"]
        client.post(f"/api/detections/{detection}", headers=headers, json={"verdict": "correct", "type": "HOSPITAL"})
        client.post(f"/api/texts/{report['texts'][0]['id']}/missed", headers=headers,
                    json={"start": 38, "end": 47, "type": "DATE_TIME"})  # fmt: skip
    logged = caplog.text
    assert "GET /api/reports/1 200" in logged and f"POST /api/detections/{detection} 200" in logged
    assert TOKEN not in logged
    for word in ("Quist", "Ansel", "Brack", "3/14/2031"):
        assert word not in logged
