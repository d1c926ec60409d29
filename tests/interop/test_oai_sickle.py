"""A harvester no one here wrote (Sickle, from PyPI) harvesting the live server over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, NoRecordsMatch

from onelibrary.catalog.models import Title
from onelibrary.interop import harvest
from onelibrary.interop.oai import oai_identifier
from tests.interop.conftest import add_titles


@pytest.fixture
def oai(live_server, catalog, monkeypatch) -> Sickle:
    monkeypatch.setattr(harvest, "PAGE_SIZE", 10)  # the live server runs in this process
    return Sickle(f"{live_server.url}/oai", max_retries=0, timeout=30)


def test_sickle_harvests_everything_then_only_what_changed(oai, catalog):
    identify = oai.Identify()
    assert identify.repositoryName == "Big Sky Partners"
    assert {f.metadataPrefix for f in oai.ListMetadataFormats()} == {"oai_dc", "marc21"}
    assert [s.setSpec for s in oai.ListSets()] == ["ELK", "PINE", "RIV"]

    records = list(oai.ListRecords(metadataPrefix="oai_dc"))
    assert len(records) == 26 == len({r.header.identifier for r in records})  # three pages
    dune = next(r for r in records if r.header.identifier == oai_identifier(catalog.dune.pk))
    assert dune.metadata["title"] == ["Dune"]
    assert dune.metadata["creator"] == ["Herbert, Frank"]
    last = max(r.header.datestamp for r in records)

    later = dt.datetime.fromisoformat(last.replace("Z", "+00:00")) + dt.timedelta(seconds=5)
    new = add_titles(12, library=catalog.riverton, first=500, start=later)
    since = later.strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = list(oai.ListIdentifiers(metadataPrefix="marc21", **{"from": since}))
    assert [h.identifier for h in headers] == [oai_identifier(t.pk) for t in new]
    assert all(h.setSpecs == ["RIV"] for h in headers)

    record = oai.GetRecord(identifier=oai_identifier(new[0].pk), metadataPrefix="marc21")
    assert "Harvest title 500" in record.raw
    assert Title.objects.count() == 38


def test_sickle_hears_the_errors(oai):
    with pytest.raises(NoRecordsMatch):
        list(oai.ListIdentifiers(metadataPrefix="oai_dc", set="NOPE"))
    with pytest.raises(BadResumptionToken):
        list(oai.ListIdentifiers(resumptionToken="not-ours"))
