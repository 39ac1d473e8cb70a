"""The grader as a service: an HTTP API for homework systems, and batch grading.

One job: put `tutor.check` (and the worked solutions) where a homework system can reach them,
with a hard deadline on every answer. Nothing here is imported by the library itself, and
`import tutor.service` loads only the standard library: the web parts (Starlette, uvicorn) are
the optional extra `serve`, imported by `app` and `server` only; Dask (extra `dask`) only by
`cluster`.

    jobs      the work itself, run inside a worker process: request -> (status, JSON body)
    worker    the worker process's loop (`python -m tutor.service.worker`)
    pool      the asyncio pool of worker processes: one job at a time each, a deadline each,
              a killed or crashed worker replaced from a warm spare
    schemas   request fields (validated before any work), the OpenAPI document
    metrics   Prometheus counters and the latency histogram
    app       the Starlette application (routes, the page, health, metrics, OpenAPI, CORS)
    endpoint  the job endpoints as plain ASGI, the hot path (token, body limit, cache, pool)
    cache     the server's response cache: graded checks' bytes by request, bounded
    reqlog    the log on stderr, one line per request, written in batches
    server    `tutor serve`: binds the socket, runs uvicorn
    batch     `tutor grade FILE`: one output row per input row, in order, on N processes
    cluster   `tutor grade --dask ADDRESS`: the same rows graded on a Dask cluster
"""

DEFAULT_DEADLINE = 2.0          # seconds of worker time per request (or per batch row)
DEFAULT_BODY_LIMIT = 64 * 1024  # bytes of request body
