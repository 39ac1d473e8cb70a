"""A real `tutor serve` for the tests: a subprocess on a free 127.0.0.1 port (`--port 0`), its
URL read from the `listening on` line, stopped with SIGTERM. Shared by the service, page and
browser tests so that they all start the server one way."""
from __future__ import annotations

import json
import os
import pathlib
import re
import signal
import ssl
import subprocess
import sys
import time

import httpx

ROOT = pathlib.Path(__file__).resolve().parent.parent
#: httpx builds an SSL context for every request made without a client (36 ms here, loading
#: certifi's bundle; 100-200 ms on a loaded machine), although these requests are plain HTTP
#: to 127.0.0.1: a test timing one request against another (a deadline) then measured that.
#: One context, made once, keeps each request at the server's own few milliseconds.
TLS = ssl.create_default_context()


class Server:
    def __init__(self, tmp: pathlib.Path, *args: str):
        self.log = tmp / "server.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", "0", *args],
                                     stdout=subprocess.DEVNULL, stderr=open(self.log, "w"),
                                     env=env, cwd=tmp)
        self.url = None
        t_end = time.monotonic() + 90
        while time.monotonic() < t_end and self.proc.poll() is None:
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", self.log.read_text())
            if m:
                self.url = m.group(1)
                try:
                    if httpx.get(self.url + "/health", timeout=5, verify=TLS).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start:\n" + self.log.read_text())

    def post(self, op: str, body, headers=None, **kw):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return httpx.post(f"{self.url}/v1/{op}", content=data, headers=headers, timeout=60,
                          verify=TLS, **kw)

    def get(self, path: str, **kw):
        return httpx.get(self.url + path, timeout=30, verify=TLS, **kw)

    def workers(self) -> list[int]:
        """The server's live worker processes (not one already dead and not yet reaped: a
        worker just replaced after a timeout is killed and reaped in the background)."""
        out = subprocess.run(["ps", "-o", "pid=,stat=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True).stdout
        rows = [line.split() for line in out.splitlines() if line.strip()]
        return [int(r[0]) for r in rows if len(r) > 1 and not r[1].startswith("Z")]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
