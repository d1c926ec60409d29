"""Harvesting /oai page by page: resumption tokens, incremental harvests, deleted records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing

from onelibrary.catalog import itemstate
from onelibrary.catalog.models import Title
from onelibrary.catalog.titlemerge import merge_titles
from onelibrary.interop import harvest
from onelibrary.interop.oai import oai_identifier
from tests.interop.conftest import add_titles
from tests.interop.schemas import validate_oai
from tests.interop.test_oai_verbs import NS, ask, error_of


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(harvest, "PAGE_SIZE", 7)


def harvest_all(client, **params) -> tuple[list[tuple[str, str, bool]], list]:
    """Every header of a list request, following tokens; and the token elements seen."""
    headers, tokens = [], []
    root = ask(client, **params)
    verb = params["verb"]
    while True:
        for header in root.findall(f"o:{verb}//o:header", NS):
            headers.append(
                (
                    header.findtext("o:identifier", namespaces=NS),
                    header.findtext("o:datestamp", namespaces=NS),
                    header.get("status") == "deleted",
                )
            )
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is None or not token.text:
            if token is not None:
                tokens.append(token)
            return headers, tokens
        tokens.append(token)
        root = ask(client, verb=verb, resumptionToken=token.text)


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_resumption_returns_every_record_exactly_once(catalog, anonymous, small_pages, verb):
    headers, tokens = harvest_all(anonymous, verb=verb, metadataPrefix="oai_dc")
    identifiers = [h[0] for h in headers]
    everything = {oai_identifier(pk) for pk in Title.objects.values_list("pk", flat=True)}
    assert len(identifiers) == len(set(identifiers)) == len(everything) == 26
    assert set(identifiers) == everything
    # 26 records, 7 a page: 4 pages, 3 tokens and the closing empty one.
    assert [t.get("cursor") for t in tokens] == ["0", "7", "14", "21"]
    assert tokens[-1].text is None and tokens[0].get("expirationDate")
    assert [h[1] for h in headers] == sorted(h[1] for h in headers)


def test_titles_with_the_same_datestamp_are_not_lost_at_a_page_edge(world, anonymous, small_pages):
    moment = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    titles = add_titles(20, library=world.riverton)
    expected = sorted([*(t.pk for t in titles), world.dune.pk])
    Title.objects.filter(pk__in=expected).update(updated_at=moment)
    headers, _ = harvest_all(anonymous, verb="ListIdentifiers", metadataPrefix="marc21", set="RIV")
    # 21 records in one second, 7 a page: ordered by id within the second, none twice.
    assert [h[0] for h in headers] == [oai_identifier(pk) for pk in expected]


def test_an_incremental_harvest_from_the_last_datestamp_brings_only_changes(
    catalog, anonymous, small_pages
):
    first, _ = harvest_all(anonymous, verb="ListIdentifiers", metadataPrefix="oai_dc")
    last_seen = max(h[1] for h in first)
    later = dt.datetime.fromisoformat(last_seen.replace("Z", "+00:00")) + dt.timedelta(seconds=1)
    new = add_titles(3, library=catalog.pine, first=100, start=later)
    changed = Title.objects.get(title="Harvest title 2")
    Title.objects.filter(pk=changed.pk).update(updated_at=later + dt.timedelta(seconds=10))
    since = later.strftime("%Y-%m-%dT%H:%M:%SZ")
    second, _ = harvest_all(
        anonymous, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": since}
    )
    assert [h[0] for h in second] == [oai_identifier(t.pk) for t in [*new, changed]]


def test_a_merged_title_is_a_deleted_record_with_its_old_sets(catalog, anonymous):
    keep = Title.objects.get(title="Harvest title 3")
    merge_titles(catalog.central, keep_id=keep.pk, duplicate_id=catalog.dune.pk)
    root = ask(
        anonymous,
        verb="GetRecord",
        identifier=oai_identifier(catalog.dune.pk),
        metadataPrefix="oai_dc",
    )
    header = root.find("o:GetRecord/o:record/o:header", NS)
    assert header.get("status") == "deleted"
    assert header.xpath("o:setSpec/text()", namespaces=NS) == ["PINE", "RIV"]
    assert root.find("o:GetRecord/o:record/o:metadata", NS) is None
    in_pine = ask(anonymous, verb="ListRecords", metadataPrefix="marc21", set="PINE")
    ids = in_pine.xpath("//o:header/o:identifier/text()", namespaces=NS)
    statuses = in_pine.xpath("//o:header/@status", namespaces=NS)
    assert ids == [oai_identifier(catalog.dune.pk), oai_identifier(keep.pk)]
    assert statuses == ["deleted"]  # the merged one; the title it joined is live


def test_a_title_whose_copies_are_all_withdrawn_is_deleted_until_one_comes_back(catalog, anonymous):
    dune = catalog.dune
    for item in (catalog.dune_riv, catalog.dune_pine):
        itemstate.move(item, "withdraw", "central_office")
    root = ask(
        anonymous, verb="GetRecord", identifier=oai_identifier(dune.pk), metadataPrefix="oai_dc"
    )
    header = root.find("o:GetRecord/o:record/o:header", NS)
    assert header.get("status") == "deleted"
    withdrawn_at = header.findtext("o:datestamp", namespaces=NS)
    assert withdrawn_at > "2026-03-01"  # the withdrawal moved the datestamp (it was Feb 28)
    itemstate.move(catalog.dune_pine, "reinstate", "central_office")
    again = ask(
        anonymous, verb="GetRecord", identifier=oai_identifier(dune.pk), metadataPrefix="oai_dc"
    )
    assert again.find("o:GetRecord/o:record/o:header", NS).get("status") is None


def test_a_token_changed_by_hand_or_expired_is_refused(
    catalog, anonymous, small_pages, monkeypatch
):
    root = ask(anonymous, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find("o:ListIdentifiers/o:resumptionToken", NS).text
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert (
        error_of(ask(anonymous, verb="ListIdentifiers", resumptionToken=tampered))
        == "badResumptionToken"
    )
    forged = signing.dumps({"p": "oai_dc"}, salt="someone else")
    assert (
        error_of(ask(anonymous, verb="ListIdentifiers", resumptionToken=forged))
        == "badResumptionToken"
    )
    monkeypatch.setattr(harvest, "TOKEN_AGE", dt.timedelta(seconds=-1))
    expired = ask(anonymous, verb="ListIdentifiers", resumptionToken=token)
    assert error_of(expired) == "badResumptionToken"
    assert "expired" in expired.findtext("o:error", namespaces=NS)


def test_a_page_costs_the_same_few_queries_wherever_the_cursor_is(
    catalog, anonymous, small_pages, django_assert_max_num_queries
):
    root = ask(anonymous, verb="ListRecords", metadataPrefix="oai_dc")
    token = root.find("o:ListRecords/o:resumptionToken", NS).text
    # titles, retired titles, libraries (for sets), copies per title: no query per record.
    with django_assert_max_num_queries(4):
        response = anonymous.get("/oai", {"verb": "ListRecords", "resumptionToken": token})
    assert len(validate_oai(response.content).findall(".//o:record", NS)) == 7
