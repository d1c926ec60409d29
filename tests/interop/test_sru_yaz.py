"""SRU through Debian's yaz-client (a client no one here wrote) against the live server.

yaz-client must be installed (`.ci/run` installs the `yaz` package): a missing client
fails these tests rather than skipping them."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest


def yaz(url: str, *commands: str) -> str:
    """Run yaz-client with these commands on its standard input; what it printed."""
    client = shutil.which("yaz-client")
    assert client, "yaz-client is not installed: apt-get install yaz (.ci/run does)"
    script = "\n".join([f"open {url}", *commands, "quit", ""])
    done = subprocess.run(
        [client], input=script, capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout + done.stderr


def hit_counts(output: str) -> list[int]:
    """The hit count of each response (yaz-client's `show` searches again, so it has one)."""
    return [int(n) for n in re.findall(r"Number of hits: (\d+)", output)]


def url(live_server) -> str:
    # By address: yaz-client tries "localhost" on IPv6 first and waits seconds for it.
    return live_server.url.replace("localhost", "127.0.0.1") + "/sru"


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_yaz_searches_and_shows_marcxml(live_server, catalog, version):
    out = yaz(
        url(live_server),
        f"sru get {version}",
        "querytype cql",
        "find title=dune",
        "show 1",
        'find subject=rivers and author="writer 3"',
        "find harvest",
        "show 21+5",
    )
    assert hit_counts(out) == [1, 1, 2, 25, 25]
    assert "pos=1 schema=info:srw/schema/1/marcxml-v1.1" in out
    assert '<subfield code="a">Dune</subfield>' in out
    # Records 21 to 25 of the 25, each shown with its position.
    assert re.findall(r"pos=(\d+)", out)[1:] == ["21", "22", "23", "24", "25"]


def test_yaz_asks_for_dublin_core(live_server, catalog):
    out = yaz(
        url(live_server),
        "sru get 1.2",
        "querytype cql",
        "schema dc",
        'find dc.creator="herbert frank"',
        "show 1",
    )
    assert hit_counts(out) == [1, 1]
    assert "<dc:title>Dune</dc:title>" in out


def test_yaz_prints_the_diagnostics(live_server, catalog):
    out = yaz(
        url(live_server),
        "sru get 1.2",
        "querytype cql",
        "find publisher=ace",
        "find title = (dune",
    )
    assert "SRW diagnostic info:srw/diagnostic/1/16" in out
    assert "Message: The index 'publisher' is not supported." in out
    assert "SRW diagnostic info:srw/diagnostic/1/10" in out
    assert hit_counts(out) == [0, 0]
