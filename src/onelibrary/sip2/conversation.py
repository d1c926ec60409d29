"""One self-check machine's conversation: login, status, resend, and which message does what.

`Conversation.answer(frame)` takes one frame (without its carriage return) and returns the
bytes to send back, or raises `Close` when the connection should end. It holds what the
connection remembers: the account logged in, the last response (for 97 and for a
retransmitted request), the patron whose PIN was checked, unreadable frames in a row.
docs/sip2.md has the message table and the SIP-n cases named here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from onelibrary.sip2 import accounts, codec, fees, items, patrons
from onelibrary.sip2.session import Reply, Session

UNREADABLE_IN_A_ROW = 3  # then the connection is closed (SIP-3)


class Close(Exception):
    """End the connection (SIP-1, SIP-3, SIP-4); `reason` is for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Conversation:
    session: Session
    encoding: str = "utf-8"
    last_request: bytes = b""
    last_response: bytes = b""
    unreadable: int = 0

    def answer(self, frame: bytes) -> bytes:
        try:
            request = codec.decode(frame, encoding=self.encoding)
        except codec.BadChecksum:
            return self._unreadable("bad checksum")  # SIP-2
        except codec.Unreadable as error:
            return self._unreadable(error.reason)  # SIP-3
        self.unreadable = 0
        if request.command == "97":  # resend the last response, as it was
            return self.last_response or codec.resend_request()
        if request.checksummed and request.raw == self.last_request and self.last_response:
            return self.last_response  # SIP-2: a retransmission; nothing is done twice
        reply = self._reply(request)
        response = codec.encode(
            reply.command,
            reply.fixed,
            reply.fields,
            sequence=request.sequence,
            checksummed=request.checksummed,
            encoding=self.encoding,
        )
        self.last_request, self.last_response = request.raw, response
        return response

    def _unreadable(self, reason: str) -> bytes:
        self.unreadable += 1
        if self.unreadable >= UNREADABLE_IN_A_ROW:
            raise Close(f"{self.unreadable} unreadable messages in a row, the last: {reason}")
        return codec.resend_request()

    def _reply(self, request: codec.Request) -> Reply:
        if request.command == "93":
            return self._login(request)
        if request.command == "99":
            return self._status()
        if self.session.account is None:
            raise Close(f"message {request.command} before a successful login")  # SIP-1
        return HANDLERS[request.command](self.session, request)

    def _login(self, request: codec.Request) -> Reply:
        """94: 1 when the login and password are an active account's (SIP-1)."""
        self.session.account = accounts.authenticate(request.get("CN"), request.get("CO"))
        self.session.verified = None
        return Reply("94", ["1" if self.session.account else "0"], [])

    def _status(self) -> Reply:
        """98: online once logged in; what this server supports (BX)."""
        account = self.session.account

        online = "Y" if account else "N"
        supported = "".join(
            "Y" if c in SUPPORTED else "N"
            for c in ("23", "11", "09", "01", "99", "97", "93", "63")
            + ("35", "37", "17", "19", "25", "15", "29", "65")
        )
        branch = account.branch if account else None
        return Reply(
            "98",
            [online, online, online, online, "N", "N", "030", "003", codec.sip_date(), "2.00"],
            [
                ("AO", branch.library.code if branch else ""),
                ("AM", branch.library.name if branch else None),
                ("BX", supported),
                ("AN", branch.code if branch else None),
                ("AF", None if account else "Log in first (93)."),
            ],
        )


HANDLERS: dict[str, Callable[[Session, codec.Request], Reply]] = {
    "23": patrons.patron_status,
    "63": patrons.patron_information,
    "35": patrons.end_session,
    "37": fees.fee_paid,
    "17": items.item_information,
    "11": items.checkout,
    "09": items.checkin,
    "29": items.renew,
    "65": items.renew_all,
}
SUPPORTED = frozenset({"23", "11", "09", "99", "97", "93", "63", "35", "37", "17", "29", "65"})
