"""A TCP proxy between a tablet and the clinic that a test controls, connection by
connection: pass the bytes, hang up mid-request or mid-response, stall, trickle, reset
(SO_LINGER 0, so the peer sees RST, not FIN), or kill the clinic's process once a
request is under way.

TLS runs end to end through it (the proxy sees only ciphertext), so the tablet's
certificate pinning and the clinic's signature checks are the real ones. Offsets
count bytes in one direction of one connection, TLS handshake included.

Each new connection takes the next ``Fault`` from the plan (``PASS`` once it is
empty). ``hang_up_all`` closes every open connection, so the next request starts a
new one (and takes the next planned fault).
"""

from __future__ import annotations

import collections
import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

UP, DOWN = "request", "response"  # tablet -> clinic, clinic -> tablet
KINDS = ("pass", "drop", "reset", "stall", "trickle", "kill")


@dataclass(frozen=True)
class Fault:
    """``kind`` at byte ``at`` of ``direction``:

    - drop: forward ``at`` bytes, then close both sides (FIN)
    - reset: forward ``at`` bytes, then reset both sides (RST)
    - stall: forward ``at`` bytes, then nothing for ``stall_s``, then close
    - trickle: forward everything, ``chunk`` bytes at a time with ``delay_s`` between
    - kill (``UP``): once ``at`` request bytes have passed, wait ``delay_s`` and call
      ``on_kill`` (the test SIGKILLs the clinic), then carry on as the dying peer allows
    - kill (``DOWN``): once ``at`` request bytes have passed, the clinic's next answer is
      not passed on: ``on_kill`` is called as it arrives and the connection closed. The
      clinic has done the work (stored a batch) and the tablet never hears of it.
    """

    kind: str = "pass"
    direction: str = UP
    at: int = 0
    stall_s: float = 0.0
    chunk: int = 1
    delay_s: float = 0.0


PASS = Fault()


def _reset(sock: socket.socket) -> None:
    """Close so that the peer gets RST: SO_LINGER on with a zero time-out. (Shutting
    down reading first wakes a pump blocked in recv, which would otherwise hold the
    socket open, and the RST back, until its peer next sent something.)"""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)
    with contextlib.suppress(OSError):
        sock.close()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class _Connection:
    def __init__(self, proxy: FaultProxy, client: socket.socket, fault: Fault) -> None:
        self.proxy, self.client, self.fault = proxy, client, fault
        self.server = socket.create_connection(proxy.target, timeout=5)
        self.server.settimeout(None)
        self.lock = threading.Lock()
        self.closed = False
        self.up_passed = 0  # request bytes passed so far (a DOWN kill waits for ``at``)
        for source, sink, direction in ((client, self.server, UP), (self.server, client, DOWN)):
            threading.Thread(
                target=self._pump, args=(source, sink, direction), daemon=True, name="fault-pump"
            ).start()

    def close(self, *, reset: bool = False) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for sock in (self.client, self.server):
            (_reset if reset else _close)(sock)
        self.proxy._forget(self)

    def _pump(self, source: socket.socket, sink: socket.socket, direction: str) -> None:
        fault = self.fault if self.fault.direction == direction else PASS
        if self.fault.kind in ("trickle", "kill"):
            fault = self.fault  # both directions trickle; a kill watches the request side
        passed = 0
        killed = False
        try:
            while not self.closed:
                data = source.recv(65536)
                if not data:
                    break
                if (
                    fault.kind == "kill"
                    and fault.direction == DOWN == direction
                    and self.up_passed >= fault.at
                ):
                    self.proxy.on_kill()  # the answer dies with the clinic, unsent
                    self.close()
                    return
                if fault.kind in ("drop", "reset", "stall") and passed + len(data) >= fault.at:
                    head = data[: max(fault.at - passed, 0)]
                    if head:
                        sink.sendall(head)
                    if fault.kind == "stall":
                        self.proxy.stalls += 1
                        time.sleep(fault.stall_s)
                    self.close(reset=fault.kind == "reset")
                    return
                if fault.kind == "trickle":
                    for start in range(0, len(data), fault.chunk):
                        sink.sendall(data[start : start + fault.chunk])
                        time.sleep(fault.delay_s)
                else:
                    sink.sendall(data)
                passed += len(data)
                if direction == UP:
                    self.up_passed = passed
                if (
                    fault.kind == "kill"
                    and fault.direction == direction == UP
                    and not killed
                    and passed >= fault.at
                ):
                    killed = True
                    time.sleep(fault.delay_s)
                    self.proxy.on_kill()
        except OSError:
            pass
        self.close()


class FaultProxy:
    """Listens on 127.0.0.1 (``port``) and forwards to ``target_port`` on 127.0.0.1."""

    def __init__(self, target_port: int, on_kill: Callable[[], None] = lambda: None) -> None:
        self.target = ("127.0.0.1", target_port)
        self.on_kill = on_kill
        self.plan: collections.deque[Fault] = collections.deque()
        self.stalls = 0
        self.connections_made = 0
        self._open: set[_Connection] = set()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._running = True
        threading.Thread(target=self._accept, daemon=True, name="fault-proxy").start()

    def _accept(self) -> None:
        while self._running:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            with self._lock:
                fault = self.plan.popleft() if self.plan else PASS
                self.connections_made += 1
            try:
                connection = _Connection(self, client, fault)
            except OSError:  # the clinic is down: the tablet sees the door shut
                _reset(client)
                continue
            with self._lock:
                self._open.add(connection)

    def _forget(self, connection: _Connection) -> None:
        with self._lock:
            self._open.discard(connection)

    def hang_up_all(self) -> None:
        with self._lock:
            open_now = list(self._open)
        for connection in open_now:
            connection.close()

    def close(self) -> None:
        self._running = False
        _close(self._listener)
        self.hang_up_all()
