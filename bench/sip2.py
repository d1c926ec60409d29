"""SIP2 checkouts per second with 10 self-check machines at once, beside the desk's own rate.

    .venv/bin/python bench/sip2.py [--db sqlite|postgres|both] [--seconds S] [--clients N]

In a fresh database per run: one library, one branch, a SIP2 account, one patron with a
PIN per machine, and a shelf of copies per machine. First the desk's rate: one thread
calling `circulation.scans.checkout_scan` then `checkin_scan` (what the desk page calls)
for S seconds. Then the SIP2 server on a free port in this process (a thread per
connection) and N machines on their own threads, each logged in, its patron's PIN
checked once (63), then checkout (11, with the PIN, as machines send it) and checkin (09)
of its own copies for S seconds. Both count checkouts: each is followed by its checkin,
so both do the same work. Each database runs in a child process (DATABASE_URL is read
at start-up).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PIN = "4826"
COPIES = 50  # per machine; each loop takes the next, so a copy is not scanned twice running


def build(clients: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from onelibrary.account.actions import set_pin_by_staff
    from onelibrary.catalog.models import Item, Title
    from onelibrary.members.models import Branch, Library, SharingGroup, StaffRole
    from onelibrary.patrons.models import Patron
    from onelibrary.policy.models import CirculationRule
    from onelibrary.sip2.accounts import create_account

    call_command("migrate", verbosity=0)
    SharingGroup.objects.create(name="Bench group", code="BENCH")
    library = Library.objects.create(code="BEN", name="Bench Library", size_class="medium")
    branch = Branch.objects.create(library=library, code="BEN-MAIN", name="Bench Main")
    CirculationRule.objects.create(
        name="Default",
        loan_days=21,
        renewals_allowed=2,
        max_items_out=30,
        fine_block_threshold=Decimal("10.00"),
        holdable=True,
    )
    desk = User.objects.create_user("desk.bench")
    StaffRole.objects.create(user=desk, library=library, role=StaffRole.Role.DESK)
    title = Title.objects.create(title="Bench title", title_key="bench")
    expiry = dt.date.today() + dt.timedelta(days=365)
    for n in range(clients + 1):  # the last one is the desk's
        patron = Patron.objects.create(
            card=f"2900{n:010d}",
            first_name=f"Patron{n}",
            last_name="Bench",
            home_library=library,
            preferred_branch=branch,
            expires_on=expiry,
        )
        set_pin_by_staff(desk, patron.card, PIN, PIN)
        Item.objects.bulk_create(
            Item(
                barcode=f"3100{n:04d}{k:06d}",
                title=title,
                owning_library=library,
                home_branch=branch,
                current_branch=branch,
                item_type="book",
                collection="ADULT",
            )
            for k in range(COPIES)
        )
    create_account("BEN-MAIN", "sc-bench", "bench-self-check")


def desk_rate(clients: int, seconds: float) -> tuple[float, int]:
    from django.contrib.auth.models import User

    from onelibrary.circulation import scans
    from onelibrary.members.models import Branch

    staff = User.objects.get(username="desk.bench")
    branch = Branch.objects.get(code="BEN-MAIN")
    card = f"2900{clients:010d}"
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        barcode = f"3100{clients:04d}{done % COPIES:06d}"
        scans.checkout_scan(staff, branch, card, barcode)
        scans.checkin_scan(staff, branch, barcode)
        done += 1
    return done / seconds, done


def machine(
    port: int,
    n: int,
    seconds: float,
    ready: threading.Barrier,
    counts: list[int],
    errors: list[str],
) -> None:
    try:
        _machine(port, n, seconds, ready, counts, errors)
    except Exception as error:  # reported beside the figures
        errors.append(f"machine {n}: {error!r}")
        ready.abort()


def _machine(
    port: int,
    n: int,
    seconds: float,
    ready: threading.Barrier,
    counts: list[int],
    errors: list[str],
) -> None:
    from onelibrary.sip2.codec import checksum, sip_date

    sequence = 0

    def ask(sock: socket.socket, text: str) -> str:
        nonlocal sequence
        data = f"{text}AY{sequence}AZ".encode()
        sequence = (sequence + 1) % 10
        sock.sendall(data + checksum(data).encode() + b"\r")
        answer = b""
        while not answer.endswith(b"\r"):
            part = sock.recv(4096)
            if not part:
                raise ConnectionError("closed")
            answer += part
        return answer.decode()

    card = f"2900{n:010d}"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        assert ask(sock, "9300CNsc-bench|CObench-self-check|").startswith("941")
        assert ask(sock, f"63000{sip_date()}  Y       AOBEN|AA{card}|AD{PIN}|").startswith("64")
        ready.wait()  # every machine logged in and its PIN checked: the clock starts
        deadline, done = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            barcode = f"3100{n:04d}{done % COPIES:06d}"
            out = ask(sock, f"11NN{sip_date()}{' ' * 18}AOBEN|AA{card}|AB{barcode}|AC|AD{PIN}|")
            back = ask(sock, f"09N{sip_date()}{sip_date()}APBEN-MAIN|AOBEN|AB{barcode}|AC|")
            if not (out.startswith("121") and back.startswith("101")):
                errors.append(f"{out[:60]!r} {back[:60]!r}")
                return
            done += 1
        counts[n] = done


def sip_rate(clients: int, seconds: float) -> tuple[float, int, list[str]]:
    from onelibrary.sip2.server import SipServer, start_in_thread

    server = SipServer(("127.0.0.1", 0))
    start_in_thread(server)
    counts, errors = [0] * clients, list[str]()
    ready = threading.Barrier(clients)
    threads = [
        threading.Thread(target=machine, args=(server.port, n, seconds, ready, counts, errors))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.shutdown()
    server.server_close()
    return sum(counts) / seconds, sum(counts), errors


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelibrary.settings")
    import django

    django.setup()
    from django.db import connection

    build(args.clients)
    desk, desk_count = desk_rate(args.clients, args.seconds)
    sip, sip_count, errors = sip_rate(args.clients, args.seconds)
    result = {
        "database": connection.vendor,
        "desk_checkouts_per_s": round(desk, 1),
        "desk_checkouts": desk_count,
        "sip2_checkouts_per_s": round(sip, 1),
        "sip2_checkouts": sip_count,
        "errors": errors[:5],
    }
    print(json.dumps(result))


def run_one(db: str, args: argparse.Namespace) -> dict:
    argv = [sys.executable, __file__, "--child", "--seconds", str(args.seconds)]
    argv += ["--clients", str(args.clients)]
    with tempfile.TemporaryDirectory(prefix="onelibrary-bench-") as tmp:
        env = {**os.environ, "ONELIBRARY_DATA_DIR": tmp, "PYTHONPATH": str(ROOT / "src")}
        env.pop("DATABASE_URL", None)
        if db == "postgres":
            from tests.pgserver import throwaway_server

            with throwaway_server() as url:
                run = subprocess.run(
                    argv, env={**env, "DATABASE_URL": url}, capture_output=True, text=True
                )
        else:
            run = subprocess.run(argv, env=env, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"{db} run failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def report(result: dict, clients: int) -> None:
    desk, sip = result["desk_checkouts_per_s"], result["sip2_checkouts_per_s"]
    print(f"\n{result['database']}:")
    print(f"  desk scans, one thread:      {desk:>8.1f} checkouts/s (each with its checkin)")
    print(f"  SIP2, {clients} machines at once: {sip:>8.1f} checkouts/s (each with its checkin)")
    print(f"  SIP2 / desk: {sip / desk if desk else float('nan'):.2f}")
    if result["errors"]:
        print(f"  refused or failed: {result['errors']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"sip2 bench: {args.clients} machines, {args.seconds:.0f} s each measure")
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        report(run_one(db, args), args.clients)


if __name__ == "__main__":
    main()
