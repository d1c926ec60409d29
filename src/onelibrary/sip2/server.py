"""The SIP2 server: one thread per connection, each with its own database connection.

Self-check machines keep one TCP connection open all day and send a message at a time,
so a thread per connection is enough: the Django ORM is used as it is everywhere else
(synchronous, one connection per thread), and a slow or broken connection holds only its
own thread. Why not an async server: docs/decisions.md ("SIP2: a thread per machine").
"""

from __future__ import annotations

import logging
import socket
import socketserver
import threading

from django.db import close_old_connections, connection

from onelibrary.sip2 import codec
from onelibrary.sip2.conversation import Close, Conversation
from onelibrary.sip2.session import Session

log = logging.getLogger("onelibrary.sip2")

IDLE_SECONDS = 600.0  # a machine that sends nothing this long is disconnected (SIP-4)


class Handler(socketserver.BaseRequestHandler):
    server: SipServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(self.server.idle_seconds)
        peer = f"{self.client_address[0]}:{self.client_address[1]}"
        talk = Conversation(Session(address=peer), encoding=self.server.encoding)
        buffer = b""
        try:
            while True:
                try:
                    data = sock.recv(4096)
                except (TimeoutError, OSError):
                    log.info("%s: idle or reset, closing", peer)  # SIP-4: a half message
                    return
                if not data:
                    return  # the machine hung up; a half message is dropped (SIP-4)
                if b"\0" in data:
                    log.warning("%s: binary data, closing", peer)  # SIP-4
                    return
                buffer += data
                while b"\r" in buffer:
                    frame, buffer = buffer.split(b"\r", 1)
                    if not frame.strip(b"\n"):
                        continue
                    sock.sendall(self._answer(talk, frame))
                if len(buffer) > codec.MAX_FRAME:
                    log.warning("%s: no end of message in %d bytes, closing", peer, len(buffer))
                    return
        except Close as close:
            log.warning("%s: %s, closing", peer, close.reason)
        except OSError:
            log.info("%s: connection lost", peer)
        finally:
            connection.close()  # this thread's database connection ends with it

    def _answer(self, talk: Conversation, frame: bytes) -> bytes:
        close_old_connections()  # a connection past its age or broken is replaced
        try:
            return talk.answer(frame)
        except Close:
            raise
        except Exception as error:  # a bug must not take the machine's connection down
            log.exception("%s: error answering %r", talk.session.address, frame[:80])
            raise Close(f"internal error: {error}") from error


class SipServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        encoding: str = "utf-8",
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.encoding = encoding
        self.idle_seconds = idle_seconds
        super().__init__(address, Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def start_in_thread(server: SipServer) -> threading.Thread:
    """Serve in a background thread (tests, the benchmark); `server.shutdown()` stops it."""
    thread = threading.Thread(target=server.serve_forever, name="sip2-server", daemon=True)
    thread.start()
    return thread
