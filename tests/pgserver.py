"""Start a throwaway PostgreSQL server, run a command against it, then remove it.

    python -m tests.pgserver -- pytest ...

The server lives in a temporary directory, listens on a free loopback port and a
socket in that directory, and is deleted afterwards; the command gets DATABASE_URL.
PostgreSQL refuses to run as root, so under root the server runs as the `postgres`
system user (Debian's package creates it). Nothing outside the temporary directory is
touched, so this works the same on a developer's machine and in CI.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

DATABASE = "onelibrary"


def find_bindir() -> Path:
    explicit = os.environ.get("ONELIBRARY_PG_BINDIR")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for found in (shutil.which("pg_ctl"),):
        if found:
            candidates.append(str(Path(found).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise SystemExit(
        "PostgreSQL's server programs were not found. Install them "
        "(apt-get install postgresql) or set ONELIBRARY_PG_BINDIR to the folder with initdb."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="onelibrary-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    port = free_port()
    log = root / "server.log"
    run = lambda argv: subprocess.run(_as_server_user(argv), check=True, capture_output=True)  # noqa: E731
    try:
        run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        # Each test worker (one per CPU under `make test`) holds a few connections: its
        # own, the live server's, and the threads of the concurrency tests.
        connections = max(60, 15 * (os.cpu_count() or 1))
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off -c max_connections={connections}"
        )
        run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"])
        run(
            [
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                DATABASE,
            ]
        )
        yield f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: python -m tests.pgserver -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    with throwaway_server() as url:
        print(f"pgserver: throwaway PostgreSQL at {url}", flush=True)
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
