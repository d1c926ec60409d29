"""What a connection remembers between messages, and the shape of a response."""

from __future__ import annotations

from dataclasses import dataclass

from onelibrary.sip2.models import SipAccount


@dataclass
class Reply:
    """A response before framing: command, fixed fields, identified fields (None: left out)."""

    command: str
    fixed: list[str]
    fields: list[tuple[str, str | None]]


@dataclass
class Session:
    address: str  # the peer, for the log
    account: SipAccount | None = None
    # The card whose PIN was checked in this patron session, with a keyed hash of the PIN
    # typed: later messages with the same card and PIN skip the slow hasher (SIP-8).
    verified: tuple[str, str] | None = None

    @property
    def pin_address(self) -> str:
        """What the PIN rate limit counts as the client address: the machine (RATE-2)."""
        return f"sip2:{self.account.login}" if self.account else f"sip2:{self.address}"
