"""The review workbench: a local web app over one review file (Starlette on uvicorn, Jinja2 pages, no build step).

The figures and exports (`signoff`, with scipy) are imported when first asked for, so that opening a review
costs only what showing a report needs.

Security, since the page shows PHI:
- it binds 127.0.0.1 unless `--host` says otherwise, and every request must carry the
  random token printed at start (`?token=` or the `X-Review-Token` header); others get 403;
- every response forbids caching and framing, and its Content-Security-Policy allows
  scripts, styles and requests to this origin only, with no inline script;
- its log lines hold the method, the path (never the query, which holds the token),
  the status and the time; a failing request logs its exception's type only, as
  exception messages may quote report text.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, MutableMapping
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from deidstream.entity import ENTITY_TYPES
from deidstream.review.pages import environment
from deidstream.review.store import ReviewFileError, ReviewStore

log = logging.getLogger("deidstream.review.server")

TOKEN_PARAMETER, TOKEN_HEADER = "token", "x-review-token"
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        b"base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    (b"cache-control", b"no-store, max-age=0"),
    (b"pragma", b"no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
REFUSED = "refused: open the review with the URL `deidstream review open` printed, token included\n"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Guard:
    """Refuses requests without the token, adds the security headers, and logs requests without PHI or token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self._app = app
        self._token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.monotonic()
        status = [0]

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        try:
            if self._authorized(scope):
                await self._app(scope, receive, send_secured)
            else:
                await PlainTextResponse(REFUSED, status_code=403)(scope, receive, send_secured)
        except Exception as error:  # noqa: BLE001 - the message may quote a report; its type is enough to act on
            log.error("%s %s failed: %s", scope["method"], scope["path"], type(error).__name__)
            if status[0] == 0:
                await PlainTextResponse("the review server failed; see its log\n", 500)(scope, receive, send_secured)
        log.info("%s %s %d %.0f ms", scope["method"], scope["path"], status[0], (time.monotonic() - started) * 1000)

    def _authorized(self, scope: Scope) -> bool:
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(TOKEN_PARAMETER, [""])[0]
        for name, value in scope.get("headers", []):
            if name == TOKEN_HEADER.encode():
                given = value.decode("latin-1")
        return secrets.compare_digest(given.encode(), self._token.encode())


class ReviewApp:
    """The routes of the workbench over one open review file."""

    def __init__(self, store: ReviewStore, token: str, recall_target: float) -> None:
        self.store = store
        self.token = token
        self.recall_target = recall_target
        self._templates = environment()
        self._assets = _assets()

    def asgi(self) -> ASGIApp:
        routes = [
            Route("/", self.page),
            Route("/summary", self.summary_page),
            Route("/signoff.html", self.signoff_html),
            Route("/signoff.json", self.signoff_json),
            Route("/api/reports/{number:int}", self.report),
            Route("/api/reports/{number:int}/reviewed", self.reviewed, methods=["POST"]),
            Route("/api/detections/{item:int}", self.judge, methods=["POST"]),
            Route("/api/texts/{item:int}/missed", self.add_missed, methods=["POST"]),
            Route("/api/missed/{item:int}", self.remove_missed, methods=["DELETE"]),
            Route("/api/summary", self.summary),
            Route("/static/{name}", self.asset),
        ]
        return Guard(Starlette(routes=routes, exception_handlers={ReviewFileError: _bad_request}), self.token)

    async def page(self, request: Request) -> Response:
        reviewed, total = self.store.progress()
        html = self._templates.get_template("review.html").render(
            token=self.token,
            provenance=self.store.provenance,
            first=self.store.first_unreviewed(),
            reviewed=reviewed,
            total=total,
            types=sorted(ENTITY_TYPES),
        )
        return HTMLResponse(html)

    async def asset(self, request: Request) -> Response:
        found = self._assets.get(request.path_params["name"])
        if found is None:
            return PlainTextResponse("no such file\n", status_code=404)
        return Response(found[0], media_type=found[1])

    async def summary_page(self, request: Request) -> Response:
        from deidstream.review.signoff import figures_of, percent, recall_chart

        figures = figures_of(self.store, self.recall_target)
        html = self._templates.get_template("summary.html").render(
            token=self.token,
            provenance=self.store.provenance,
            figures=figures,
            chart=recall_chart(figures),
            percent=percent,
        )
        return HTMLResponse(html)

    async def signoff_html(self, request: Request) -> Response:
        from deidstream.review.signoff import figures_of, signoff_data, signoff_html

        figures = figures_of(self.store, self.recall_target)
        html = signoff_html(signoff_data(self.store, figures), figures)
        return HTMLResponse(html, headers={"content-disposition": 'attachment; filename="signoff.html"'})

    async def signoff_json(self, request: Request) -> Response:
        from deidstream.review.signoff import figures_of, signoff_data

        data = signoff_data(self.store, figures_of(self.store, self.recall_target))
        return JSONResponse(data, headers={"content-disposition": 'attachment; filename="signoff.json"'})

    async def summary(self, request: Request) -> Response:
        from deidstream.review.signoff import figures_of

        return JSONResponse(figures_of(self.store, self.recall_target).to_json())

    async def report(self, request: Request) -> Response:
        return JSONResponse(self.store.report(request.path_params["number"]))

    async def reviewed(self, request: Request) -> Response:
        number = request.path_params["number"]
        body = await _body(request)
        self.store.set_reviewed(number, bool(body.get("reviewed", True)))
        return JSONResponse(self.store.report(number))

    async def judge(self, request: Request) -> Response:
        item = request.path_params["item"]
        body = await _body(request)
        verdict, kind = body.get("verdict"), body.get("type")
        if kind is not None:
            _check_type(kind)
        self.store.judge(item, verdict, kind)
        return JSONResponse(self.store.report(self.store.report_of("detections", item)))

    async def add_missed(self, request: Request) -> Response:
        item = request.path_params["item"]
        body = await _body(request)
        start, end, kind = body.get("start"), body.get("end"), body.get("type")
        if not isinstance(start, int) or not isinstance(end, int):
            raise ReviewFileError("a missed span needs integer 'start' and 'end'")
        _check_type(kind)
        self.store.add_missed(item, start, end, str(kind))
        return JSONResponse(self.store.report(self.store.report_of("texts", item)))

    async def remove_missed(self, request: Request) -> Response:
        item = request.path_params["item"]
        number = self.store.report_of("missed", item)
        self.store.remove_missed(item)
        return JSONResponse(self.store.report(number))


def _assets() -> dict[str, tuple[bytes, str]]:
    """The page's script, style sheet and icon, read once: a few kilobytes, served from memory."""
    folder = files("deidstream.review") / "static"
    return {
        item.name: (item.read_bytes(), ASSET_TYPES[suffix])
        for item in folder.iterdir()
        if (suffix := "." + item.name.rsplit(".", 1)[-1]) in ASSET_TYPES
    }


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise ReviewFileError("the request body is not JSON") from None
    if not isinstance(body, dict):
        raise ReviewFileError("the request body is not a JSON object")
    return body


def _check_type(kind: object) -> None:
    if kind not in ENTITY_TYPES:
        raise ReviewFileError(f"unknown entity type; known: {', '.join(sorted(ENTITY_TYPES))}")


async def _bad_request(request: Request, error: Exception) -> Response:
    return PlainTextResponse(f"{error}\n", status_code=400)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the URL is printed so the port in it is the real one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not left 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they are TCP,
    # and with Nagle on every JSON response waits ~40 ms for a delayed acknowledgement.
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(64)
    return listener


def serve(app: ReviewApp, listener: socket.socket) -> None:
    """Serve until Ctrl-C or SIGTERM; uvicorn's own access log is off (it would log the token)."""
    config = uvicorn.Config(app.asgi(), access_log=False, log_config=None, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])


def new_token() -> str:
    return secrets.token_urlsafe(24)


def url(listener: socket.socket, token: str) -> str:
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?{TOKEN_PARAMETER}={token}"
