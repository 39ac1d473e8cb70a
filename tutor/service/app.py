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

The job endpoints themselves (`POST /v1/<op>`) are plain ASGI (`endpoint.py`): the `FastPath`
middleware hands them over before Starlette's router, and a repeat of a graded check is
answered from the response cache (`cache.py`) without a worker. After start-up the heap is
frozen (`gc.freeze`), so the collector never scans the imported modules again.
"""
from __future__ import annotations

import contextlib
import gc
import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import DEFAULT_BODY_LIMIT, DEFAULT_DEADLINE
from .cache import ResponseCache
from .endpoint import FastPath, JobEndpoints, JobRoute
from .jobs import error_body
from .metrics import Metrics
from .openapi import openapi
from .page import routes as page_routes
from .pool import Pool
from .reqlog import RequestLog
from .schemas import ALL_ENDPOINTS

log = logging.getLogger("tutor.service")


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
               spares: int = 1, queue_timeout: float = 30.0, cache: ResponseCache | None = None,
               request_log: RequestLog | None = None) -> Starlette:
    """`cache`: the response cache (default: sized by TUTOR_SERVICE_CACHE); `request_log`:
    the batched log handler `tutor serve` installs (default: plain `logging`)."""
    metrics = Metrics()
    pool = Pool(workers, deadline, spares=spares, queue_timeout=queue_timeout, metrics=metrics)
    cache = ResponseCache() if cache is None else cache
    version = _version()
    document = openapi(version)
    jobs = JobEndpoints(pool, metrics, cache, tokens=tokens, body_limit=body_limit,
                        log_answers=log_answers, log=request_log.line if request_log else None)

    async def health(request: Request) -> Response:
        st = pool.status()
        up = st["idle"] + st["busy"] > 0
        body = {"status": "ok" if up else "degraded", "version": version, **st}
        metrics.request("health", 200 if up else 503, 0.0)
        return JSONResponse(body, status_code=200 if up else 503)

    async def metrics_endpoint(request: Request) -> Response:
        return PlainTextResponse(metrics.text(pool.status(), len(cache)),
                                 media_type="text/plain; version=0.0.4")

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
        gc.collect()
        gc.freeze()      # what start-up made lives for good: no collection scans it again
        log.info("tutor service ready: %d worker%s (+%d spare), deadline %g s, body limit %s bytes%s",
                 pool.size, "" if pool.size == 1 else "s", spares, deadline, f"{body_limit:,}",
                 ", token required" if tokens else "")
        try:
            yield
        finally:
            await pool.close()
            if request_log is not None:
                request_log.flush()

    routes = [Route(f"/v1/{op}", JobRoute(jobs, op), methods=["POST"]) for op in ALL_ENDPOINTS]
    routes += [Route("/health", health, methods=["GET"]),
               Route("/metrics", metrics_endpoint, methods=["GET"]),
               Route("/openapi.json", openapi_endpoint, methods=["GET"])]
    routes += page_routes(metrics)          # the classroom page at / (page.py)
    middleware = [Middleware(FastPath, jobs=jobs, ops=ALL_ENDPOINTS, cors=bool(cors))]
    if cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
                                     max_age=600))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.state.pool, app.state.metrics, app.state.cache = pool, metrics, cache
    return app
