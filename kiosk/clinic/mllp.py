"""The MLLP listener: HL7 v2 messages from the hospital over TCP, each answered with
its acknowledgement once it is stored (docs/hospital-feeds.md).

A frame is ``0x0b`` + message + ``0x1c 0x0d``. Bytes before a frame's start are
skipped; a frame longer than ``max_message_bytes`` is answered with an AR and the
connection closed; a connection silent for ``read_timeout`` seconds is closed. A
connection handles one message at a time (the sender waits for each ACK), and at
most ``MAX_CONNECTIONS`` are served at once. Nothing a sender writes can stop the
listener: any failure ends that connection only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator

from kiosk.clinic.config import MllpSettings
from kiosk.exchange.errors import Hl7Error, MllpFrameError
from kiosk.exchange.hl7_siu import Header, acknowledgement, read_header

log = logging.getLogger(__name__)

START, END = b"\x0b", b"\x1c\x0d"
MAX_CONNECTIONS = 32


def frame(message: str) -> bytes:
    """One message framed for MLLP (UTF-8)."""
    return START + message.encode("utf-8") + END


class Frames:
    """Bytes from a connection in, whole messages out; MllpFrameError past the limit."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[bytes]:
        self._buffer += data
        while True:
            start = self._buffer.find(START)
            if start < 0:
                self._buffer.clear()  # nothing but noise before any frame
                return
            del self._buffer[:start]
            end = self._buffer.find(END)
            if end < 0:
                if len(self._buffer) - 1 > self.max_bytes:
                    raise MllpFrameError(f"a message longer than {self.max_bytes} bytes")
                return
            if end - 1 > self.max_bytes:
                raise MllpFrameError(f"a message longer than {self.max_bytes} bytes")
            body = bytes(self._buffer[1:end])
            del self._buffer[: end + len(END)]
            yield body


def decode(body: bytes) -> str:
    """UTF-8 as HL7 2.5+ prefers; else ISO 8859-1, which many older systems send."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")


class MllpListener(socketserver.ThreadingTCPServer):
    """Serves ``receive`` (message text in, acknowledgement text out) over MLLP."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, settings: MllpSettings, receive: Callable[[str], str]) -> None:
        self.settings = settings
        self.receive = receive
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((settings.host, settings.port), _Connection)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: the sender tries again later
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: object, client_address: object) -> None:
        log.exception("an MLLP connection failed")


class _Connection(socketserver.BaseRequestHandler):
    server: MllpListener

    def handle(self) -> None:
        settings = self.server.settings
        connection: socket.socket = self.request
        connection.settimeout(settings.read_timeout)
        frames = Frames(settings.max_message_bytes)
        while True:
            try:
                data = connection.recv(65536)
            except (TimeoutError, OSError):
                return
            if not data:
                return
            try:
                for body in frames.feed(data):
                    connection.sendall(frame(self._answer(body)))
            except MllpFrameError as exc:
                refusal = Hl7Error(f"MSH: {exc}", location="MSH", code="AR")
                ack = acknowledgement(None, "AR", "", dt.datetime.now(), error=refusal)
                _send_quietly(connection, frame(ack))
                return
            except OSError:
                return

    def _answer(self, body: bytes) -> str:
        text = decode(body)
        try:
            return self.server.receive(text)
        except Exception:  # a bug must not take the listener down; the sender will resend
            log.exception("an HL7 message could not be handled")
            failure = Hl7Error("the clinic could not handle the message; send it again", code="AR")
            header: Header | None
            try:
                header = read_header(text)
            except Hl7Error:
                header = None
            return acknowledgement(header, "AR", "", dt.datetime.now(), error=failure)


def _send_quietly(connection: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):  # the sender may be gone already
        connection.sendall(data)
