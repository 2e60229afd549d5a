"""ASGI middleware of the API: request bodies capped per path (413), honest ``Allow`` headers on 405."""

from __future__ import annotations

import json
from collections.abc import Callable, MutableMapping
from typing import Any

from starlette.routing import Match


class BodyLimit:
    """ASGI middleware: refuse request bodies over a per-path limit (413) before reading them whole."""

    def __init__(self, app: Any, limits: Callable[[str], int]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """Pass the request on, answering 413 itself once the body is over the path's limit."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limits(scope["path"])
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                await _plain(send, 400, "invalid Content-Length")
                return
            if too_big:
                await _plain(send, 413, f"request body over {limit} bytes")
                return
        seen = 0
        refused = False

        async def counted() -> dict[str, Any]:
            # Over the limit mid-stream (no Content-Length): answer 413 ourselves and tell the app
            # the client went away, so that it stops reading and its own reply is dropped.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    refused = True
                    await _plain(send, 413, f"request body over {limit} bytes")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, guarded_send)


class HonestAllow:
    """ASGI middleware: a 405 lists every method the path answers (``Allow: GET, POST``).

    Starlette stops at the first route whose path matches, so ``OPTIONS /reviews`` was told
    ``Allow: GET`` although ``POST /reviews`` exists too.
    """

    def __init__(self, app: Any, routes: Callable[[], list[Any]]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """Pass the request on, rewriting the Allow header of a 405."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def allow_all(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods: set[str] = set()
                for route in self.routes():
                    if getattr(route, "methods", None) and route.matches(scope)[0] != Match.NONE:
                        methods |= route.methods
                if methods:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    message = {
                        **message,
                        "headers": [*headers, (b"allow", ", ".join(sorted(methods)).encode())],
                    }
            await send(message)

        await self.app(scope, receive, allow_all)


async def _plain(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
