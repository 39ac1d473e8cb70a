"""The job endpoints (`POST /v1/<op>`) as plain ASGI: the service's hot path.

    jobs = JobEndpoints(pool, metrics, cache, tokens=(), body_limit=65536, log=None)
    await jobs.handle("check", scope, receive, send)
    FastPath(app, jobs, cors=False)     # ASGI middleware: POST /v1/<op> straight to `jobs`

Why not a Starlette endpoint: per request Starlette builds a Request and a Response, matches
every route's regular expression in turn and runs three middleware layers; the handler here
reads the ASGI messages and headers itself and sends the two response messages directly. The
statuses, headers and bodies are the same as the Starlette endpoint's were (errors are still
made by Starlette's JSONResponse; a result is `Response(body, media_type=JSON)`'s two headers),
and the routes stay in the Starlette router too (`/openapi.json`, 405s, CORS): `FastPath`
only takes the requests that need nothing else. With CORS on, a request carrying an `Origin`
goes through Starlette's CORS middleware as before.

A request: the token (before anything else, so a cached answer is never given without it),
the body (413 over the limit, counted as it streams), the response cache (cache.py) by the raw
body, then JSON decoding (400), validation (422), the cache by the canonical job line, and the
worker pool under the deadline (503 when no worker is free in time). A client that goes away
before its body has arrived is logged and counted as 499 (nginx's "client closed request").
"""
from __future__ import annotations

import hmac
import json
import logging
import time

from .jobs import error_body, job_line
from .pool import Busy
from .schemas import FieldError, example_hint, validate

log = logging.getLogger("tutor.service")
JSON_HEADER = (b"content-type", b"application/json")


#: what a client can do about a 413: a student's answer is far below the limit, so a body
#: over it is usually the wrong field or a file; the operator can raise it
_BODY_HINT = "send one answer per request (a batch goes to `tutor grade`), or start the server with --body-limit BYTES"


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        self.status, self.code, self.message, self.extra = status, code, message, extra


class _Gone(Exception):
    """The client disconnected before its request was read."""


class JobEndpoints:
    def __init__(self, pool, metrics, cache, *, tokens=(), body_limit: int = 65536,
                 log_answers: bool = False, log=None):
        self.pool, self.metrics, self.cache = pool, metrics, cache
        self.tokens = tuple(t.encode("utf-8") if isinstance(t, str) else t for t in tokens)
        self.body_limit, self.log_answers = body_limit, log_answers
        self._log = log            # RequestLog.line, or None: logging.info

    def authorised(self, header: bytes | None) -> bool:
        if not self.tokens:
            return True
        scheme, _, given = (header or b"").decode("latin-1").partition(" ")
        if scheme.lower() != "bearer":
            return False
        given_b = given.strip().encode("utf-8")
        ok = False
        for t in self.tokens:       # every token compared, each in constant time
            ok |= hmac.compare_digest(given_b, t)
        return ok

    async def _body(self, length: bytes | None, receive) -> bytes:
        limit = self.body_limit
        if length and length.isdigit() and int(length) > limit:
            raise _Refused(413, "body-limit", f"the body is {int(length):,} bytes; the limit is {limit:,}",
                           hint=_BODY_HINT)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Gone
            chunk = message.get("body", b"")
            if chunk:
                size += len(chunk)
                if size > limit:
                    raise _Refused(413, "body-limit", f"the body is over the limit of {limit:,} bytes",
                                   hint=_BODY_HINT)
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    @staticmethod
    def _decode(op: str, raw: bytes):
        hint = example_hint(op)
        if not raw.strip():
            raise _Refused(400, "json", "the body is empty: send a JSON object", hint=hint)
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _Refused(400, "json", f"the body is not valid JSON: {exc.msg}",
                           line=exc.lineno, column=exc.colno, hint=hint) from None
        except ValueError as exc:   # not UTF-8
            raise _Refused(400, "json", f"the body is not valid JSON: {exc}", hint=hint) from None

    async def _answer(self, op: str, raw: bytes) -> tuple[int, str, bytes, dict]:
        """(status, verdict, body, args) for a request whose token and size are fine."""
        cache = self.cache
        hit = cache.get((op, raw)) if cache.entries else None
        if hit is not None:
            self.metrics.cache_hit(op)
            return (*hit, None)
        body = self._decode(op, raw)
        try:
            args = validate(op, body)
        except FieldError as exc:
            raise _Refused(422, exc.code, exc.message, field=exc.field, hint=exc.hint) from None
        line = job_line(op, args)
        hit = cache.get(line) if cache.entries else None
        if hit is not None:
            self.metrics.cache_hit(op)
            return (*hit, args)
        try:
            result = await self.pool.run(op, args, line)
        except Busy as exc:
            raise _Refused(503, "busy", f"the grader is busy: {exc}; retry shortly") from None
        out = result.body.encode("utf-8")
        if cache.entries and cache.worthy(op, result.status, result.graded):
            cache.put((op, raw), result.status, result.verdict, out)
            cache.put(line, result.status, result.verdict, out)
        return result.status, result.verdict, out, args

    async def handle(self, op: str, scope, receive, send) -> None:
        t0 = time.perf_counter()
        status, verdict, args = 500, "", None
        auth = length = rid = None
        for k, v in scope["headers"]:
            if k == b"authorization":
                auth = v
            elif k == b"content-length":
                length = v
            elif k == b"x-request-id":
                rid = v
        try:
            if not self.authorised(auth):
                raise _Refused(401, "auth", "a bearer token is required: send the header "
                                            "'Authorization: Bearer <token>'",
                               hint="the token is a line of the server's --token-file: ask its operator")
            raw = await self._body(length, receive)
            status, verdict, out, args = await self._answer(op, raw)
            if args is None and self.log_answers:     # a cached answer: the fields to show
                args = validate(op, json.loads(raw))
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-length", b"%d" % len(out)), JSON_HEADER]})
            await send({"type": "http.response.body", "body": out})
        except _Refused as exc:
            from starlette.responses import JSONResponse
            status = exc.status
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else (
                {"Retry-After": "1"} if status == 503 else None)
            await JSONResponse(error_body(exc.code, exc.message, **exc.extra), status_code=status,
                               headers=headers)(scope, receive, send)
        except _Gone:
            status = 499
        finally:
            seconds = time.perf_counter() - t0
            self.metrics.request(op, status, seconds, verdict)
            self.log_line(scope, status, seconds, verdict, rid, args)

    def log_line(self, scope, status, seconds, verdict, rid, args) -> None:
        extra = f" verdict={verdict}" if verdict else ""
        if rid:
            extra += f" rid={rid.decode('latin-1')[:64]!r}"
        if self.log_answers and args:
            shown = {k: args[k] for k in ("function", "answer", "lines", "expr")
                     if isinstance(args, dict) and k in args}
            extra += " " + json.dumps(shown, ensure_ascii=False)[:2000]
        text = f"{scope['method']} {scope['path']} {status} {seconds * 1e3:.1f}ms{extra}"
        if self._log is not None:
            self._log(text)
        else:
            log.info("%s", text)


class FastPath:
    """ASGI middleware: `POST /v1/<op>` (a job endpoint) straight to JobEndpoints, past the
    router; everything else (and, with CORS on, a request with an Origin) to the app."""

    def __init__(self, app, jobs: JobEndpoints, ops, cors: bool = False):
        self.app, self.jobs, self.cors = app, jobs, cors
        self.paths = {f"/v1/{op}": op for op in ops}

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "POST":
            op = self.paths.get(scope["path"])
            if op is not None and not (self.cors and any(k == b"origin" for k, _ in scope["headers"])):
                return await self.jobs.handle(op, scope, receive, send)
        return await self.app(scope, receive, send)


class JobRoute:
    """The ASGI app of one job endpoint inside the Starlette router (the CORS path)."""

    def __init__(self, jobs: JobEndpoints, op: str):
        self.jobs, self.op = jobs, op

    async def __call__(self, scope, receive, send):
        await self.jobs.handle(self.op, scope, receive, send)
