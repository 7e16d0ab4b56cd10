"""The client's real address behind a TLS pass-through proxy (PROXY protocol v1 and v2).

A pass-through proxy (nginx ``stream {}``) cannot add ``X-Forwarded-For`` to
traffic it does not decrypt, so the service would see every connection as the
proxy's. With ``proxy_protocol on;`` nginx sends one short header naming the
client before the TLS bytes. This module reads it on a port of its own
(``[server] proxy_protocol_port``), separate from the ordinary HTTPS port:

- only connections from ``[server] proxy_protocol_from`` are accepted there
  (anyone else could claim any address), and each must start with a header,
  read byte for byte so not one byte of the TLS handshake after it is consumed;
- then TLS starts on the same connection (``loop.start_tls``) and the HTTP
  protocol is told the address the header named, so the audit log records it.

The ordinary HTTPS port is unchanged, so health checks and direct connections
work as before. Specification: https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import ssl
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.clinic.errors import ClinicError

log = logging.getLogger(__name__)
V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"
V1_PREFIX = b"PROXY "
V1_MAX = 107  # the longest v1 line, CRLF included
V2_MAX_BODY = 512  # addresses and a few TLVs; anything longer is refused
HEADER_TIMEOUT_S = 10.0


class ProxyHeaderError(ClinicError):
    """A connection on the PROXY protocol port did not start with a valid header."""


@dataclass(frozen=True)
class ProxyHeader:
    """What the proxy said: the client's address and port, or None for its own
    connections (health checks: ``UNKNOWN`` / ``LOCAL``)."""

    client: tuple[str, int] | None


def parse_v1(line: bytes) -> ProxyHeader:
    """``PROXY TCP4 203.0.113.9 192.0.2.1 56324 443\\r\\n``."""
    if not line.startswith(V1_PREFIX) or not line.endswith(b"\r\n") or len(line) > V1_MAX:
        raise ProxyHeaderError("not a PROXY protocol v1 line")
    try:
        parts = line[:-2].decode("ascii").split(" ")
    except UnicodeDecodeError:
        raise ProxyHeaderError("a PROXY v1 line is ASCII") from None
    if parts[1:2] == ["UNKNOWN"]:
        return ProxyHeader(None)
    if len(parts) != 6 or parts[1] not in ("TCP4", "TCP6"):
        raise ProxyHeaderError("a PROXY v1 line has a protocol, two addresses and two ports")
    _proxy, family, source, _destination, port, _destination_port = parts
    try:
        address = ipaddress.ip_address(source)
        number = int(port)
    except ValueError:
        raise ProxyHeaderError("a PROXY v1 line names an address and a port") from None
    if address.version != (4 if family == "TCP4" else 6) or not 0 <= number <= 65535:
        raise ProxyHeaderError("a PROXY v1 address or port is out of range")
    return ProxyHeader((str(address), number))


def parse_v2(fixed: bytes, body: bytes) -> ProxyHeader:
    """The 16-byte fixed part and the body it announces."""
    if len(fixed) != 16 or not fixed.startswith(V2_SIGNATURE):
        raise ProxyHeaderError("not a PROXY protocol v2 header")
    version_command, family = fixed[12], fixed[13]
    if version_command >> 4 != 2:
        raise ProxyHeaderError("PROXY protocol version other than 2")
    command = version_command & 0x0F
    if command == 0:  # LOCAL: the proxy's own connection
        return ProxyHeader(None)
    if command != 1:
        raise ProxyHeaderError("unknown PROXY v2 command")
    if family == 0x11 and len(body) >= 12:  # TCP over IPv4
        source = str(ipaddress.IPv4Address(body[0:4]))
        (port,) = struct.unpack("!H", body[8:10])
    elif family == 0x21 and len(body) >= 36:  # TCP over IPv6
        source = str(ipaddress.IPv6Address(body[0:16]))
        (port,) = struct.unpack("!H", body[32:34])
    elif family == 0x00:
        return ProxyHeader(None)
    else:
        raise ProxyHeaderError("a PROXY v2 header for other than TCP over IPv4 or IPv6")
    return ProxyHeader((source, port))


class _ClientAddressed:
    """The TLS transport, naming the client the proxy named as its peer."""

    def __init__(self, transport: asyncio.Transport, client: tuple[str, int]) -> None:
        self._transport = transport
        self._client = client

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "peername":
            return self._client
        if name == "socket":  # uvicorn asks the socket first: its peer is the proxy
            return default
        return self._transport.get_extra_info(name, default)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class ProxyProtocolFront(asyncio.BufferedProtocol):
    """One connection on the PROXY protocol port: header, then TLS, then HTTP."""

    def __init__(
        self,
        make_http: Callable[[], asyncio.Protocol],
        context: ssl.SSLContext,
        allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network],
    ) -> None:
        self._make_http = make_http
        self._context = context
        self._allowed = allowed
        self._transport: asyncio.Transport | None = None
        self._got = bytearray()
        self._want = len(V2_SIGNATURE)  # both versions are at least this long
        self._buffer = bytearray(V2_MAX_BODY)
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ connection
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        peer = transport.get_extra_info("peername")
        if not peer or not self._is_allowed(str(peer[0])):
            log.warning("PROXY protocol port: a connection from a proxy not listed; closed")
            transport.abort()
            return
        self._timer = asyncio.get_running_loop().call_later(HEADER_TIMEOUT_S, transport.abort)

    def _is_allowed(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self._allowed)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._timer is not None:
            self._timer.cancel()

    # ------------------------------------------------------------ the header
    def get_buffer(self, sizehint: int) -> memoryview:
        # Never more than the header still needs: the TLS bytes after it stay unread.
        return memoryview(self._buffer)[: self._want - len(self._got)]

    def buffer_updated(self, nbytes: int) -> None:
        self._got += self._buffer[:nbytes]
        if len(self._got) < self._want:
            return
        try:
            header = self._header_so_far()
        except ProxyHeaderError as exc:
            log.warning("PROXY protocol port: %s; connection closed", exc)
            assert self._transport is not None
            self._transport.abort()
            return
        if header is not None:
            self._start_tls(header)

    def _header_so_far(self) -> ProxyHeader | None:
        """The header once it is complete; None while more bytes are needed."""
        got = bytes(self._got)
        if got.startswith(V2_SIGNATURE):
            if len(got) < 16:
                self._want = 16
                return None
            (length,) = struct.unpack("!H", got[14:16])
            if length > V2_MAX_BODY:
                raise ProxyHeaderError("a PROXY v2 header longer than any proxy sends")
            if len(got) < 16 + length:
                self._want = 16 + length
                return None
            return parse_v2(got[:16], got[16:])
        if got.startswith(V1_PREFIX):
            if not got.endswith(b"\r\n"):
                if len(got) >= V1_MAX:
                    raise ProxyHeaderError("a PROXY v1 line longer than 107 bytes")
                self._want = len(got) + 1  # byte by byte up to the line's end
                return None
            return parse_v1(got)
        raise ProxyHeaderError("the connection did not start with a PROXY protocol header")

    def eof_received(self) -> bool | None:
        return None

    # ------------------------------------------------------------ TLS, then HTTP
    def _start_tls(self, header: ProxyHeader) -> None:
        assert self._transport is not None
        if self._timer is not None:
            self._timer.cancel()
        self._transport.pause_reading()
        self._task = asyncio.get_running_loop().create_task(self._hand_over(header))

    async def _hand_over(self, header: ProxyHeader) -> None:
        assert self._transport is not None
        http = _UntilMade(self._make_http())
        try:
            tls = await asyncio.get_running_loop().start_tls(
                self._transport,
                http,
                self._context,
                server_side=True,
                ssl_handshake_timeout=HEADER_TIMEOUT_S,
            )
        except (OSError, ssl.SSLError, TimeoutError, ConnectionError) as exc:
            log.info("PROXY protocol port: TLS did not start (%s)", type(exc).__name__)
            self._transport.abort()
            return
        if tls is None:
            self._transport.abort()
            return
        if header.client is None:
            http.connection_made(tls)
        else:
            http.connection_made(_ClientAddressed(tls, header.client))  # type: ignore[arg-type]


class _UntilMade(asyncio.Protocol):
    """The HTTP protocol behind TLS, given nothing before it is told its transport.

    A client may send its request in the same packet as the end of the handshake; TLS
    then hands those bytes on before ``start_tls`` has returned, so before the HTTP
    protocol has its transport (uvicorn's would answer with no scheme and no way to
    write). They are kept here and handed on, in order, once it has."""

    def __init__(self, http: asyncio.Protocol) -> None:
        self._http = http
        self._made = False
        self._early: list[bytes] = []
        self._eof = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._http.connection_made(transport)
        self._made = True
        early, self._early = self._early, []
        for data in early:
            self._http.data_received(data)
        if self._eof and not self._http.eof_received():
            transport.close()

    def data_received(self, data: bytes) -> None:
        if self._made:
            self._http.data_received(data)
        else:
            self._early.append(bytes(data))

    def eof_received(self) -> bool | None:
        if self._made:
            return self._http.eof_received()
        self._eof = True
        return True  # kept open until the HTTP protocol has seen what came before

    def connection_lost(self, exc: Exception | None) -> None:
        if self._made:
            self._http.connection_lost(exc)

    def pause_writing(self) -> None:
        if self._made:
            self._http.pause_writing()

    def resume_writing(self) -> None:
        if self._made:
            self._http.resume_writing()


def allowed_networks(
    entries: Sequence[str],
) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def server_with_proxy_port(
    config: Any, port: int, allowed: Sequence[str], sock: socket.socket | None = None
) -> Any:
    """A uvicorn server that also listens on ``port`` for PROXY protocol connections
    from ``allowed`` (addresses or networks), with the same TLS and application;
    on ``sock`` instead if given (bound already, shared by several service processes)."""
    import uvicorn

    networks = allowed_networks(allowed)

    class ServerWithProxyPort(uvicorn.Server):
        async def startup(self, sockets: list[Any] | None = None) -> None:
            loop = asyncio.get_running_loop()
            settings = self.config

            def make_http() -> asyncio.Protocol:
                return settings.http_protocol_class(  # type: ignore[call-arg]
                    config=settings,
                    server_state=self.server_state,
                    app_state=self.lifespan.state,
                    _loop=loop,
                )

            assert settings.ssl is not None
            context = settings.ssl

            def front() -> ProxyProtocolFront:
                return ProxyProtocolFront(make_http, context, networks)

            if sock is not None:
                listener = await loop.create_server(front, sock=sock, backlog=settings.backlog)
            else:
                listener = await loop.create_server(
                    front, host=settings.host, port=port, backlog=settings.backlog
                )
            await super().startup(sockets)
            self.servers.append(listener)

    return ServerWithProxyPort(config)
