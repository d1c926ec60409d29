"""A SIP2 server on a free port in a thread, a self-check account at RIV-MAIN, Ada's PIN,
and the Python `sip2` client package (written elsewhere) to talk to it.

The server's threads use their own database connections, so these tests commit
(`transaction=True`) instead of running inside the test's transaction; the flush
between them takes the rows the migrations seed, so each test seeds the patron field
permissions again (`field_permissions`). (Serialized rollback would reload every seeded
row, content types included, and collide with other committing tests' post-migrate
rows in the same worker.)
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from Sip2.sip2 import Sip2

from onelibrary.account.actions import set_pin_by_staff
from onelibrary.sip2.accounts import create_account
from onelibrary.sip2.models import SipAccount
from onelibrary.sip2.server import SipServer, start_in_thread

LOGIN, PASSWORD, PIN = "sc-riv-1", "self-check-secret", "4826"


@pytest.fixture(autouse=True)
def _seeded(field_permissions) -> None:
    pass


@pytest.fixture
def account(world, rules) -> SipAccount:
    set_pin_by_staff(world.desk_riv, world.ada.card, PIN, PIN)
    return create_account("RIV-MAIN", LOGIN, PASSWORD)


@pytest.fixture
def server(account) -> Iterator[SipServer]:
    sip = SipServer(("127.0.0.1", 0), idle_seconds=2.0)
    start_in_thread(sip)
    try:
        yield sip
    finally:
        sip.shutdown()
        sip.server_close()


def client(server: SipServer, *, card: str = "", pin: str = "") -> Sip2:
    """A connected client of the `sip2` package (plain TCP), not yet logged in."""
    return client_on(server.port, card=card, pin=pin)


def client_on(port: int, *, card: str = "", pin: str = "") -> Sip2:
    sip = Sip2()
    sip.log = logging.getLogger("sip2-client")  # else it writes sip2.log into the cwd
    sip.hostName, sip.hostPort, sip.tlsEnable = "127.0.0.1", port, False
    sip.institutionId, sip.scLocation = "RIV", "RIV-MAIN"
    sip.patron, sip.patronpwd = card, pin
    sip.connect()
    return sip


def logged_in(server: SipServer, **patron: str) -> Sip2:
    sip = client(server, **patron)
    answer = sip.sip_login_response(sip.get_response(sip.sip_login_request(LOGIN, PASSWORD)))
    assert answer["fixed"]["Ok"] == "1"
    return sip


def raw(server: SipServer, timeout: float = 3.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def exchange(sock: socket.socket, message: bytes) -> bytes:
    """Send one frame and read one response (up to its carriage return); b"" if closed."""
    sock.sendall(message)
    answer = b""
    while not answer.endswith(b"\r"):
        try:
            part = sock.recv(4096)
        except ConnectionResetError:
            return answer
        if not part:
            return answer
        answer += part
    return answer


def still_serves(server: SipServer) -> None:
    """A new machine can still connect and log in."""
    sip = logged_in(server)
    sip.disconnect()
