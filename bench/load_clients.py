"""The simulated desks and patrons of bench/load.py: threads speaking plain HTTP to 127.0.0.1.

Standard library only (`http.client`), so the client adds as little of its own cost as
it can to a machine it shares with the server. Each simulated person is one thread with
one connection and its own cookies. A desk scans a checkout or a checkin, waits its
think time, and goes on; a patron logs in with card and PIN once, then searches the
catalog page and now and then places a hold on a title it found. Every loop stops at
the run's deadline and after at most `MAX_ACTIONS` actions.

An answer is `ok`, `refused` (a patron's hold refused for a reason the rules give, which
is a right answer) or an `error`: no answer, a 5xx, or any answer a desk did not expect.
A desk expects every scan to succeed, because it scans only its own copies.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from load_world import Desk, PatronLogin

MAX_ACTIONS = 1_000_000
TIMEOUT = 30.0
HOLD_SHARE = 0.3  # of a patron's searches that end with a hold placed
HOLD_REFUSALS = frozenset({"not_holdable", "duplicate_hold", "hold_limit"})
TITLE_LINK = re.compile(rb"/catalog/titles/(\d+)/")
CHECKOUTS = "/api/v1/circulation/checkouts"
CHECKINS = "/api/v1/circulation/checkins"


@dataclass
class Tally:
    """What one kind of request got after the warm-up, with each one's time."""

    seconds: list[float] = field(default_factory=list)
    ok: int = 0
    refused: int = 0
    errors: int = 0
    sent: int = 0
    why: Counter[str] = field(default_factory=Counter)


class Recorder:
    """Tallies per kind of the requests sent from `counts_from` on (after the warm-up), and
    `every` request's verdict, warm-up included, for the checks against the database."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kinds: dict[str, Tally] = {}
        self.every: Counter[tuple[str, str]] = Counter()
        self.decisions: Counter[str] = Counter()  # decision-table ids the desks were answered
        self.counts_from = 0.0

    def add(
        self,
        kind: str,
        seconds: float,
        verdict: str,
        why: str = "",
        *,
        answered: bool = True,
        started: float | None = None,
    ) -> None:
        with self.lock:
            self.every[kind, verdict if answered else "unanswered"] += 1
            if started is not None and started < self.counts_from:
                return
            tally = self.kinds.setdefault(kind, Tally())
            tally.sent += 1
            tally.seconds.append(seconds)
            setattr(tally, verdict, getattr(tally, verdict) + 1)
            if why:
                tally.why[why] += 1


class Http:
    """One person's connection. Gunicorn's sync workers close it after each answer;
    http.client then opens a new one for the next request."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}

    def send(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response.status, payload

    def close(self) -> None:
        self.conn.close()


@dataclass(frozen=True)
class Answer:
    status: int
    payload: bytes
    seconds: float
    started: float  # time.monotonic() when it was sent


def timed(
    recorder: Recorder, kind: str, http_: Http, method: str, path: str, body: object = None
) -> Answer | None:
    """Send one request and time it; None (counted as an error) when no answer came."""
    sent, started = time.monotonic(), time.perf_counter()
    try:
        status, payload = http_.send(method, path, body)
    except (OSError, http.client.HTTPException) as failure:
        seconds = time.perf_counter() - started
        why = f"no answer: {type(failure).__name__}"
        recorder.add(kind, seconds, "errors", why, answered=False, started=sent)
        return None
    return Answer(status, payload, time.perf_counter() - started, sent)


def _code(payload: bytes) -> str:
    try:
        return str(json.loads(payload).get("code", ""))
    except (ValueError, AttributeError):
        return ""


@dataclass
class Window:
    """The run every client shares, opened once every patron has logged in."""

    duration: float
    start: float = 0.0
    ready: threading.Event = field(default_factory=threading.Event)

    @property
    def deadline(self) -> float:
        return self.start + self.duration

    def open(self) -> bool:
        return time.monotonic() < self.deadline


def _verdict(recorder: Recorder, kind: str, answer: Answer, expected: int) -> bool:
    if answer.status == expected:
        recorder.add(kind, answer.seconds, "ok", started=answer.started)
        return True
    why = f"{answer.status} {_code(answer.payload)}"
    recorder.add(kind, answer.seconds, "errors", why, started=answer.started)
    return False


def run_desk(
    desk: Desk, port: int, window: Window, think: float, recorder: Recorder, seed: int
) -> None:
    http_ = Http(port)
    http_.headers["Authorization"] = f"Bearer {desk.token}"
    rng = random.Random(f"{seed}:{desk.name}")
    shelf = deque(desk.items)
    out: deque[str] = deque()  # what this desk lent, oldest first
    window.ready.wait(timeout=600)
    for n in range(MAX_ACTIONS):
        if not window.open():
            break
        lend = shelf and desk.cards and (not out or (len(out) < 20 and rng.random() < 0.5))
        if lend:
            barcode = shelf.popleft()
            body = {
                "branch": desk.branch,
                "patron_card": desk.cards[n % len(desk.cards)],
                "item_barcode": barcode,
            }
            answer = timed(recorder, "checkout", http_, "POST", CHECKOUTS, body)
            if answer and _verdict(recorder, "checkout", answer, 201):
                out.append(barcode)
        elif out:
            barcode = out.popleft()
            body = {"branch": desk.branch, "item_barcode": barcode}
            answer = timed(recorder, "checkin", http_, "POST", CHECKINS, body)
            if answer and _verdict(recorder, "checkin", answer, 200):
                outcome = json.loads(answer.payload)
                with recorder.lock:
                    recorder.decisions[outcome.get("decision", "")] += 1
                # back on the shelf, unless a hold took it (hold shelf, or sent to its pickup)
                if outcome.get("item_status") == "available":
                    shelf.append(barcode)
        else:
            break  # nothing left to lend or to take back
        time.sleep(max(0.0, min(think, window.deadline - time.monotonic())))
    http_.close()


def log_in(patron: PatronLogin, port: int, recorder: Recorder) -> Http | None:
    """The patron's session: the login page gives the CSRF cookie, the API takes card and
    PIN. Logging in runs the PIN hasher, slow by design, so it is timed apart ('login')."""
    http_ = Http(port)
    page = timed(recorder, "login page", http_, "GET", "/account/login/")
    if page is None or not _verdict(recorder, "login page", page, 200):
        return None
    body = {"card": patron.card, "pin": patron.pin}
    answer = timed(recorder, "login", http_, "POST", "/api/v1/account/session", body)
    if answer is None or not _verdict(recorder, "login", answer, 200):
        return None
    return http_


def run_patron(
    patron: PatronLogin,
    http_: Http,
    window: Window,
    think: float,
    terms: list[str],
    recorder: Recorder,
    seed: int,
) -> None:
    window.ready.wait(timeout=600)
    rng = random.Random(f"{seed}:{patron.card}")
    held: set[int] = set()
    for _ in range(MAX_ACTIONS):
        if not window.open():
            break
        query = urlencode({"q": rng.choice(terms)})
        answer = timed(recorder, "search", http_, "GET", f"/catalog/?{query}")
        if answer and _verdict(recorder, "search", answer, 200):
            found = dict.fromkeys(int(n) for n in TITLE_LINK.findall(answer.payload))
            fresh = [n for n in found if n not in held]
            if fresh and rng.random() < HOLD_SHARE and window.open():
                # the best match: for a whole title typed, that title
                _place_hold(http_, fresh[0], patron.pickup, held, recorder)
        time.sleep(max(0.0, min(think, window.deadline - time.monotonic())))
    http_.close()


def _place_hold(http_: Http, title: int, pickup: str, held: set[int], recorder: Recorder) -> None:
    body = {"title_id": title, "pickup_branch": pickup}
    answer = timed(recorder, "hold", http_, "POST", "/api/v1/account/holds", body)
    held.add(title)
    if answer is None:
        return
    code = _code(answer.payload)
    if answer.status == 409 and code in HOLD_REFUSALS:
        recorder.add("hold", answer.seconds, "refused", code, started=answer.started)
    else:
        _verdict(recorder, "hold", answer, 201)


@dataclass
class Run:
    recorder: Recorder  # after the warm-up
    logins: Recorder
    seconds: float  # how long the counted part really was
    cpu_seconds: float  # the server's, over the counted part


def run(
    desks: list[Desk],
    patrons: list[PatronLogin],
    port: int,
    *,
    duration: float,
    warmup: float,
    desk_think: float,
    patron_think: float,
    terms: list[str],
    seed: int,
    server_cpu: Callable[[], float],
) -> Run:
    """Log the patrons in, then let every desk and patron loose for `warmup` seconds, whose
    requests are not counted (each server process fills its caches on its first requests),
    and `duration` seconds more."""
    logins, recorder = Recorder(), Recorder()
    with ThreadPoolExecutor(max_workers=4) as pool:
        sessions = list(pool.map(lambda p: log_in(p, port, logins), patrons))
    window = Window(warmup + duration)
    threads = [
        threading.Thread(
            target=run_desk, args=(d, port, window, desk_think, recorder, seed), daemon=True
        )
        for d in desks
    ] + [
        threading.Thread(
            target=run_patron,
            args=(p, session, window, patron_think, terms, recorder, seed),
            daemon=True,
        )
        for p, session in zip(patrons, sessions, strict=True)
        if session is not None
    ]
    for thread in threads:
        thread.start()
    window.start = time.monotonic()
    recorder.counts_from = window.start + warmup
    window.ready.set()
    time.sleep(warmup)
    cpu_before = server_cpu()
    for thread in threads:
        thread.join(timeout=warmup + duration + 2 * TIMEOUT)
    cpu = server_cpu() - cpu_before
    return Run(recorder, logins, time.monotonic() - recorder.counts_from, cpu)
