"""An HTTP proxy between a terminal and its hub that injects network faults per request, by schedule or
seeded chance.

Each request draws its own fault, also on a connection the client keeps alive (a proxy that drew one
fault per TCP connection would inject nothing once the agent reuses its connection): a request that
passes (or is only delayed) is answered on the same connection, which stays open for the next one.
`counts` holds the faults drawn, `injected` how many requests a fault actually hit, `requests` and
`connections` what came in: a test asserts the faults it meant to inject did happen."""

from __future__ import annotations

import random
import socket
import socketserver
import struct
import threading
import time
from collections import Counter

PORTAL_PAGE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n"
               b"Content-Length: 92\r\n\r\n"
               b"<html><body><h1>Municipal Wi-Fi</h1><a href='/login'>Accept the terms</a></body></html>\n")
ERROR_500 = (b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nConnection: close\r\n"
             b"Content-Length: 21\r\n\r\n<h1>Server Error</h1>")

# pass: forward untouched · delay: forward slowly, within the client's timeout
# reset: RST before the hub sees anything · half_body: hub answers, client gets half of it
# blackhole: accept, never answer (client times out) · error_500 / portal: answered by "the network"
# commit_then_reset / commit_then_blackhole: the hub commits, the answer never arrives
FAULTS = ("pass", "delay", "reset", "half_body", "blackhole", "error_500", "portal",
          "commit_then_reset", "commit_then_blackhole")


def _read_request(conn: socket.socket) -> tuple[bytes, bool] | None:
    """The next request on `conn`, rewritten for a fresh upstream connection, and whether the client
    wants to keep its connection open afterwards; None when the client closed it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    # One request per upstream connection: simpler to cut at exact points.
    lines = head.split(b"\r\n")
    keep_alive = not any(ln.lower().startswith(b"connection:") and b"close" in ln.lower() for ln in lines[1:]) \
        and not lines[0].endswith(b"HTTP/1.0")
    lines = [ln for ln in lines if not ln.lower().startswith(b"connection:")]
    return b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n" + body, keep_alive


def _kept_alive(response: bytes) -> bytes:
    """The upstream answer (to a `Connection: close` request) as an answer on a kept-alive connection."""
    head, sep, body = response.partition(b"\r\n\r\n")
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"connection:")]
    return b"\r\n".join(lines) + sep + body


def _rst(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


class FaultProxy:
    """`with FaultProxy(("127.0.0.1", hub_port), seed=1) as proxy: proxy.base_url …`

    The first requests take every fault once (in `FAULTS` order), so each kind surely
    happens; then each request draws a fault from `weights` with a seeded RNG."""

    def __init__(self, upstream: tuple[str, int], *, seed: int = 1, weights: dict[str, float] | None = None,
                 delay_s: float = 0.05, schedule: list[str] | None = None) -> None:
        self.upstream = upstream
        self.rng = random.Random(seed)
        self.weights = weights or {f: 1.0 for f in FAULTS}
        self.delay_s = delay_s
        self.schedule = list(FAULTS if schedule is None else schedule)
        self.counts: Counter[str] = Counter()  # faults drawn, per request
        self.injected = 0  # requests a fault other than "pass" hit
        self.requests = 0
        self.connections = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.enabled = True
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self.server.daemon_threads = True
        self.server.allow_reuse_address = True
        self.server.server_bind()
        self.server.server_activate()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _choose(self) -> str:
        with self.lock:
            if not self.enabled:
                fault = "pass"
            elif self.schedule:
                fault = self.schedule.pop(0)
            else:
                names = list(self.weights)
                fault = self.rng.choices(names, [self.weights[n] for n in names])[0]
            self.counts[fault] += 1
            self.requests += 1
            self.injected += fault != "pass"
            return fault

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(request)
            chunks = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)

    def _hold(self, conn: socket.socket) -> None:
        conn.settimeout(0.1)
        while not self.stopping.is_set():
            try:
                if not conn.recv(1024):
                    return  # the client gave up (its timeout)
            except TimeoutError:
                continue
            except OSError:
                return

    def _handle(self, conn: socket.socket) -> None:
        with self.lock:
            self.connections += 1
        try:
            while self._one_request(conn):
                pass
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def _one_request(self, conn: socket.socket) -> bool:
        """Serve one request with its fault; True when the connection stays open for another."""
        read = _read_request(conn)
        if read is None:
            return False
        request, keep_alive = read
        fault = self._choose()
        if fault == "reset":
            _rst(conn)
            return False
        if fault == "blackhole":
            self._hold(conn)
            return False
        if fault == "error_500":
            conn.sendall(ERROR_500)
            return False
        if fault == "portal":
            conn.sendall(PORTAL_PAGE)
            return False
        if fault == "delay":
            time.sleep(self.delay_s)
        response = self._forward(request)
        if fault == "commit_then_reset":
            _rst(conn)
            return False
        if fault == "commit_then_blackhole":
            self._hold(conn)
            return False
        if fault == "half_body":
            head, sep, body = response.partition(b"\r\n\r\n")
            conn.sendall(head + sep + body[: len(body) // 2])
            _rst(conn)
            return False
        if fault == "delay":
            time.sleep(self.delay_s)
        head = response.partition(b"\r\n\r\n")[0].lower()
        if not keep_alive or (b"content-length:" not in head and b"transfer-encoding:" not in head):
            conn.sendall(response)  # the end of the connection ends the body
            return False
        conn.sendall(_kept_alive(response))
        return True

    def __enter__(self) -> "FaultProxy":
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="fault-proxy", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
