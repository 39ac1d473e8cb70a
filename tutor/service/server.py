"""`tutor serve`: read the token file, bind the socket, run the application on uvicorn.

    serve(host="127.0.0.1", port=8000, workers=None, token_file=None, deadline=2.0,
          body_limit=65536, cors=(), log_answers=False)

The socket is bound here, before uvicorn starts, so a port in use is a clear error (not a
uvicorn traceback), `--port 0` picks a free port, and the line `listening on http://...` on
standard error always names the real one. uvicorn runs one process with one event loop; the
grading runs in the pool's worker processes (`--workers`, default one per core). To use more
machines run more replicas behind a load balancer: the service keeps no state between
requests (README, "Grader service").
"""
from __future__ import annotations

import logging
import os
import socket
import sys

from tutor import TutorError

from . import DEFAULT_BODY_LIMIT, DEFAULT_DEADLINE

EXTRA = "pip install 'derivative-tutor[serve]'"


def read_tokens(path: str) -> tuple[str, ...]:
    """One token a line (several lines: any of them is accepted, for rotation); # comments."""
    try:
        with open(path, encoding="utf-8") as fh:
            tokens = tuple(t.strip() for t in fh if t.strip() and not t.lstrip().startswith("#"))
    except OSError as exc:
        raise TutorError(f"cannot read the token file {path}: {exc.strerror}", code="io") from None
    if not tokens:
        raise TutorError(f"the token file {path} has no token in it", code="io")
    return tokens


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        # proto IPPROTO_TCP, or asyncio leaves Nagle on for the accepted connections (its
        # _set_nodelay checks the proto) and every response waits ~40 ms for a delayed ACK
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise TutorError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", code="listen") from None
    sock.set_inheritable(True)
    return sock


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
          token_file: str | None = None, deadline: float = DEFAULT_DEADLINE,
          body_limit: int = DEFAULT_BODY_LIMIT, cors=(), log_answers: bool = False) -> int:
    try:
        import uvicorn
        from .app import create_app
    except ImportError as exc:
        raise TutorError(f"tutor serve needs the serve extra ({exc.name} is missing): {EXTRA}",
                         code="missing-extra") from None
    if not 0 < deadline <= 600:
        raise TutorError("--deadline must be a number of seconds from 0 to 600", code="usage")
    if body_limit < 1024:
        raise TutorError("--body-limit must be at least 1024 bytes", code="usage")
    if not 0 <= port <= 65535:
        raise TutorError("--port must be from 0 to 65535", code="usage")
    tokens = read_tokens(token_file) if token_file else ()
    workers = default_workers() if workers is None else workers
    if not 1 <= workers <= 256:
        raise TutorError("--workers must be from 1 to 256", code="usage")
    sock = bind(host, port)
    from .reqlog import RequestLog
    handler = RequestLog(sys.stderr)        # "time message" lines, written in batches
    logger = logging.getLogger("tutor.service")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    real_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    plural = "" if workers == 1 else "s"
    print(f"tutor serve: listening on http://{shown}:{real_port} ({workers} worker{plural}, deadline "
          f"{deadline:g} s{', token required' if tokens else ''})", file=sys.stderr, flush=True)
    app = create_app(workers=workers, deadline=deadline, tokens=tokens, body_limit=body_limit,
                     cors=tuple(cors or ()), log_answers=log_answers, request_log=handler)
    config = uvicorn.Config(app, host=host, port=real_port, log_config=None, log_level="warning",
                            access_log=False, lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        handler.flush()
    return 0 if server.started else 1
