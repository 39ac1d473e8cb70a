"""The Starlette application: routes, statuses, the token, the body limit, one log line a request.

    app = create_app(workers=2, deadline=2.0, tokens=("s3cret",), body_limit=65536)

Starlette rather than FastAPI: the grader's records are plain dicts with their own schemas
(`tutor.verdict/1`, ...), so pydantic models would be a second copy of them and a large
dependency; the validator and the OpenAPI document come from one table (`schemas`) instead.

Statuses: 200 with the record (a student's unreadable answer is a 200, verdict `invalid`;
an answer past the deadline a 200, verdict `undetermined`, error_code `timeout`); 400 body not
JSON; 401 token missing or wrong (when the server has a token file); 404/405 no such route or
method; 413 body over the limit; 422 a field missing or wrong, or the problem itself cannot be
worked; 501 `/v1/plot` on a server that cannot draw; 503 no worker free in time (with
Retry-After). Every error body is `tutor.error/1`.

The classroom page (`page.py`) is served at `/` with its files under `/static/`; its endpoints
(`/v1/read`, `/v1/definition`, ... from `schemas.PAGE_ENDPOINTS`) run like every other, in
the worker pool under the deadline.
"""
from __future__ import annotations

import contextlib
import hmac
import json
import logging
import time

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import DEFAULT_BODY_LIMIT, DEFAULT_DEADLINE
from .jobs import error_body
from .metrics import Metrics
from .openapi import openapi
from .page import routes as page_routes
from .pool import Busy, Pool
from .schemas import ALL_ENDPOINTS, FieldError, validate

log = logging.getLogger("tutor.service")
JSON = "application/json"


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        self.status, self.code, self.message, self.extra = status, code, message, extra


def _error(status: int, code: str, message: str, headers=None, **extra) -> Response:
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("derivative-tutor")
    except Exception:
        import tutor
        return tutor.__version__


def create_app(*, workers: int = 2, deadline: float = DEFAULT_DEADLINE, tokens=(),
               body_limit: int = DEFAULT_BODY_LIMIT, cors=(), log_answers: bool = False,
               spares: int = 1, queue_timeout: float = 30.0) -> Starlette:
    metrics = Metrics()
    pool = Pool(workers, deadline, spares=spares, queue_timeout=queue_timeout, metrics=metrics)
    tokens = tuple(t.encode("utf-8") for t in tokens)
    version = _version()
    document = openapi(version)

    def authorised(request: Request) -> bool:
        if not tokens:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        given_b = given.strip().encode("utf-8")
        ok = False
        for t in tokens:  # every token compared, each in constant time
            ok |= hmac.compare_digest(given_b, t)
        return ok

    async def read_json(request: Request):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > body_limit:
            raise _Refused(413, "body-limit", f"the body is {int(length):,} bytes; the limit is {body_limit:,}")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > body_limit:
                raise _Refused(413, "body-limit", f"the body is over the limit of {body_limit:,} bytes")
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw.strip():
            raise _Refused(400, "json", "the body is empty: send a JSON object")
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _Refused(400, "json", f"the body is not valid JSON: {exc.msg}",
                           line=exc.lineno, column=exc.colno) from None
        except ValueError as exc:   # not UTF-8
            raise _Refused(400, "json", f"the body is not valid JSON: {exc}") from None

    def log_line(request, endpoint, status, seconds, verdict, args):
        extra = f" verdict={verdict}" if verdict else ""
        rid = request.headers.get("x-request-id")
        if rid:
            extra += f" rid={rid[:64]!r}"
        if log_answers and args:
            shown = {k: args[k] for k in ("function", "answer", "lines", "expr") if k in args}
            extra += " " + json.dumps(shown, ensure_ascii=False)[:2000]
        # the scope's path is request.url.path without building a URL object per request
        log.info("%s %s %d %.1fms%s", request.method, request.scope["path"], status, seconds * 1e3,
                 extra)

    def job_endpoint(op: str):
        async def handle(request: Request) -> Response:
            t0 = time.perf_counter()
            status, verdict, args = 500, "", None
            try:
                if not authorised(request):
                    raise _Refused(401, "auth", "a bearer token is required: send the header "
                                                "'Authorization: Bearer <token>'")
                body = await read_json(request)
                try:
                    args = validate(op, body)
                except FieldError as exc:
                    raise _Refused(422, exc.code, exc.message, field=exc.field) from None
                try:
                    result = await pool.run(op, args)
                except Busy as exc:
                    raise _Refused(503, "busy", f"the grader is busy: {exc}; retry shortly") from None
                status, verdict = result.status, result.verdict
                response = Response(result.body.encode("utf-8"), status_code=status, media_type=JSON)
            except _Refused as exc:
                status = exc.status
                headers = {"WWW-Authenticate": "Bearer"} if status == 401 else (
                    {"Retry-After": "1"} if status == 503 else None)
                response = _error(status, exc.code, exc.message, headers, **exc.extra)
            finally:
                seconds = time.perf_counter() - t0
                metrics.request(op, status, seconds, verdict)
                log_line(request, op, status, seconds, verdict, args)
            return response
        return handle

    async def health(request: Request) -> Response:
        st = pool.status()
        up = st["idle"] + st["busy"] > 0
        body = {"status": "ok" if up else "degraded", "version": version, **st}
        metrics.request("health", 200 if up else 503, 0.0)
        return JSONResponse(body, status_code=200 if up else 503)

    async def metrics_endpoint(request: Request) -> Response:
        return PlainTextResponse(metrics.text(pool.status()), media_type="text/plain; version=0.0.4")

    async def openapi_endpoint(request: Request) -> Response:
        return JSONResponse(document)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = {404: "not-found", 405: "method"}.get(exc.status_code, "http")
        message = {404: f"no such endpoint: {request.url.path} (see /openapi.json)",
                   405: f"{request.method} is not allowed on {request.url.path}"}.get(
                       exc.status_code, str(exc.detail))
        metrics.request("other", exc.status_code, 0.0)
        log.info("%s %s %d", request.method, request.url.path, exc.status_code)
        return _error(exc.status_code, code, message, getattr(exc, "headers", None))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        log.info("tutor service ready: %d worker%s (+%d spare), deadline %g s, body limit %s bytes%s",
                 pool.size, "" if pool.size == 1 else "s", spares, deadline, f"{body_limit:,}",
                 ", token required" if tokens else "")
        try:
            yield
        finally:
            await pool.close()

    routes = [Route(f"/v1/{op}", job_endpoint(op), methods=["POST"]) for op in ALL_ENDPOINTS]
    routes += [Route("/health", health, methods=["GET"]),
               Route("/metrics", metrics_endpoint, methods=["GET"]),
               Route("/openapi.json", openapi_endpoint, methods=["GET"])]
    routes += page_routes(metrics)          # the classroom page at / (page.py)
    middleware = []
    if cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
                                     max_age=600))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.state.pool, app.state.metrics = pool, metrics
    return app
