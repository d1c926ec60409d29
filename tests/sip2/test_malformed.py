"""Malformed SIP2 over raw sockets: each gets a clean refusal (96) or a close, nothing is
done, and the server goes on serving (a new machine logs in after each)."""

from __future__ import annotations

import contextlib
import os
import socket
import time

import pytest

from onelibrary.circulation.models import Event, Loan
from onelibrary.sip2.codec import checksum, sip_date

from .conftest import LOGIN, PASSWORD, PIN, exchange, raw, still_serves

pytestmark = pytest.mark.django_db(transaction=True)

RESEND = b"96AZFEF6\r"  # 96 with its checksum: 0x39 + 0x36 + 0x41 + 0x5A = 0x10A


def framed(text: str, sequence: int = 0) -> bytes:
    data = f"{text}AY{sequence}AZ".encode()
    return data + checksum(data).encode() + b"\r"


def login(sock: socket.socket) -> bytes:
    return exchange(sock, framed(f"9300CN{LOGIN}|CO{PASSWORD}|CPRIV-MAIN|"))


def closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(100) == b""
    except ConnectionResetError:
        return True


def checkout_text(card: str) -> str:
    return f"11NN{sip_date()}{' ' * 18}AORIV|AA{card}|AB31000000000011|AC|AD{PIN}|"


def test_the_resend_request_is_framed_as_the_spec_says():
    assert b"96AZ" + checksum(b"96AZ").encode() + b"\r" == RESEND


def test_it_sip_2_asks_again_on_a_bad_checksum(world, server):
    sock = raw(server)
    good = framed(f"9300CN{LOGIN}|CO{PASSWORD}|")
    bad = good[:-5] + b"0000\r"
    assert exchange(sock, bad) == RESEND
    assert exchange(sock, good).startswith(b"941AY0AZ")  # the same connection goes on
    sock.close()
    still_serves(server)


def test_it_sip_2_answers_with_the_sequence_and_a_checksum_that_verifies(world, server):
    sock = raw(server)
    answer = login(sock)
    sock.close()
    assert answer.startswith(b"941AY0AZ")
    assert (sum(answer[:-5]) + int(answer[-5:-1], 16)) & 0xFFFF == 0


def test_it_sip_2_does_not_repeat_a_retransmitted_checkout(world, server):
    sock = raw(server)
    login(sock)
    request = framed(checkout_text(world.ada.card), sequence=3)
    first = exchange(sock, request)
    again = exchange(sock, request)
    resend = exchange(sock, b"97AZFEF5\r")
    sock.close()
    assert first.startswith(b"121") and first == again == resend
    assert Event.objects.filter(kind="checkout").count() == 1
    still_serves(server)


def test_it_sip_3_asks_again_for_a_message_missing_fields(world, server):
    sock = raw(server)
    assert exchange(sock, framed("9300CNsomebody|")) == RESEND  # no password (CO)
    login(sock)
    no_item = f"11NN{sip_date()}{' ' * 18}AORIV|AA{world.ada.card}|AC|"
    assert exchange(sock, framed(no_item)) == RESEND
    sock.close()
    assert not Loan.objects.exists()
    still_serves(server)


def test_it_sip_3_asks_again_for_fixed_fields_of_the_wrong_length(world, server):
    sock = raw(server)
    login(sock)
    assert exchange(sock, framed("990080")) == RESEND  # status, print width, no version
    short_date = f"63001{sip_date()[:12]}  Y       AORIV|AA{world.ada.card}|"
    assert exchange(sock, framed(short_date)) == RESEND
    assert exchange(sock, framed("9900802.00")).startswith(b"98YYYY")  # still logged in
    sock.close()
    still_serves(server)


def test_it_sip_3_closes_after_three_unreadable_messages_in_a_row(world, server):
    sock = raw(server)
    assert exchange(sock, framed("XXjunk|")) == RESEND
    assert exchange(sock, b"\xff\xfe\x80\x81not text\r") == RESEND
    sock.sendall(framed("12nonsense"))
    assert closed(sock)
    still_serves(server)


def test_it_sip_4_closes_on_binary_garbage(world, server):
    sock = raw(server)
    sock.sendall(b"\x00" + os.urandom(500) + b"\r")
    assert closed(sock)
    still_serves(server)


def test_it_sip_4_closes_a_message_that_never_ends(world, server):
    sock = raw(server)
    with contextlib.suppress(OSError):  # the server may close before it has read it all
        sock.sendall(b"93" + b"A" * 5000)
    assert closed(sock)
    still_serves(server)


def test_it_sip_4_drops_a_half_message_when_the_machine_hangs_up(world, server):
    sock = raw(server)
    login(sock)
    sock.sendall(checkout_text(world.ada.card).encode()[:30])  # no end, then gone
    sock.close()
    still_serves(server)
    assert not Loan.objects.exists()


def test_it_sip_4_closes_a_half_message_left_hanging(world, server):
    sock = raw(server, timeout=10)
    sock.sendall(b"9300CN" + LOGIN.encode())
    started = time.monotonic()
    assert closed(sock)  # the fixture's server waits 2 seconds
    assert time.monotonic() - started < 8
    still_serves(server)


def test_it_goes_on_after_a_connection_dropped_mid_checkout(world, server):
    sock = raw(server)
    login(sock)
    sock.sendall(framed(checkout_text(world.ada.card)))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()  # a reset, before the answer is read
    still_serves(server)
    # The checkout either happened whole or not at all: never a loan without its event.
    assert Loan.objects.count() == Event.objects.filter(kind="checkout").count()


def test_it_sip_1_closes_a_connection_that_acts_before_logging_in(world, server):
    sock = raw(server)
    sock.sendall(framed(checkout_text(world.ada.card)))
    assert closed(sock)
    assert not Loan.objects.exists()
    still_serves(server)


def test_it_sip_1_refuses_a_wrong_password(world, server):
    sock = raw(server)
    assert exchange(sock, framed(f"9300CN{LOGIN}|COwrong|")).startswith(b"940")
    assert exchange(sock, framed("9900802.00")).startswith(b"98NNNN")  # not online
    sock.close()
    still_serves(server)
