"""GET /api/v1/openapi.json: every endpoint described with typed input and output."""

from __future__ import annotations

EXPECTED = {
    ("post", "/api/v1/circulation/checkouts"),
    ("post", "/api/v1/circulation/checkins"),
    ("post", "/api/v1/circulation/loans/{loan_id}/renewals"),
    ("get", "/api/v1/circulation/patrons/{card}/loans"),
    *(
        ("post", f"/api/v1/circulation/items/{{barcode}}/{action}")
        for action in (
            "found",
            "damaged",
            "back-on-shelf",
            "missing",
            "claims-returned",
            "lost",
            "withdraw",
            "reinstate",
        )
    ),
    ("get", "/api/v1/circulation/patrons/{card}/charges"),
    ("post", "/api/v1/circulation/patrons/{card}/payments"),
    ("get", "/api/v1/circulation/payments/{payment_id}"),
    ("post", "/api/v1/circulation/charges/{charge_id}/waivers"),
    ("post", "/api/v1/circulation/charges/{charge_id}/refunds"),
    ("get", "/api/v1/ledger/entries"),
    ("get", "/api/v1/ledger/entries/{entry_id}"),
    ("post", "/api/v1/ledger/entries/{entry_id}/reverse"),
    ("get", "/api/v1/ledger/balances"),
    ("get", "/api/v1/ledger/settlement"),
    ("get", "/api/v1/ledger/policies"),
    ("get", "/api/v1/catalog/items/{barcode}"),
    ("get", "/api/v1/catalog/search"),
    ("get", "/api/v1/policy/resolved"),
    ("post", "/api/v1/holds/"),
    ("get", "/api/v1/holds/branches/{code}/pick-list"),
    ("get", "/api/v1/holds/patrons/{card}"),
    ("post", "/api/v1/holds/{hold_id}/cancel"),
    ("get", "/api/v1/holds/{hold_id}/explanation"),
    ("post", "/api/v1/holds/{hold_id}/resume"),
    ("post", "/api/v1/holds/{hold_id}/suspend"),
    ("post", "/api/v1/patrons/"),
    ("get", "/api/v1/patrons/{card}"),
    ("patch", "/api/v1/patrons/{card}"),
    ("post", "/api/v1/transit/crates"),
    ("get", "/api/v1/transit/crates/{label}"),
    ("post", "/api/v1/transit/crates/{label}/scan"),
    ("post", "/api/v1/transit/crates/{label}/close"),
    ("post", "/api/v1/transit/crates/{label}/reopen"),
    ("post", "/api/v1/transit/crates/{label}/ship"),
    ("post", "/api/v1/transit/crates/{label}/receive"),
    ("post", "/api/v1/transit/crates/{label}/unpack"),
    ("post", "/api/v1/transit/crates/{label}/reconcile"),
    ("get", "/api/v1/transit/transits"),
    ("get", "/api/v1/transit/items/{barcode}/transits"),
    ("get", "/api/v1/transit/late"),
    ("post", "/api/v1/transit/transits/{transit_id}/missing"),
    ("get", "/api/v1/courier/routes"),
    ("get", "/api/v1/courier/routes/{code}"),
    ("get", "/api/v1/courier/expected-days"),
    # The patron's own API: the patron session, not a staff token (docs/account.md).
    ("post", "/api/v1/account/session"),
    ("delete", "/api/v1/account/session"),
    ("get", "/api/v1/account/me"),
    ("put", "/api/v1/account/loan-history"),
    ("get", "/api/v1/account/loans"),
    ("post", "/api/v1/account/loans/{loan_id}/renew"),
    ("get", "/api/v1/account/holds"),
    ("post", "/api/v1/account/holds"),
    ("post", "/api/v1/account/holds/{hold_id}/cancel"),
    ("post", "/api/v1/account/holds/{hold_id}/suspend"),
    ("post", "/api/v1/account/holds/{hold_id}/resume"),
    ("post", "/api/v1/account/holds/{hold_id}/pickup"),
    # The accounts between members (docs/ledger.md).
    ("get", "/api/v1/ledger/entries"),
    ("get", "/api/v1/ledger/entries/{entry_id}"),
    ("post", "/api/v1/ledger/entries/{entry_id}/reverse"),
    ("get", "/api/v1/ledger/balances"),
    ("get", "/api/v1/ledger/settlement"),
    ("get", "/api/v1/ledger/policies"),
    ("get", "/api/v1/ledger/reports"),
    ("post", "/api/v1/ledger/reports"),
    ("get", "/api/v1/ledger/reports/{report_id}"),
    ("post", "/api/v1/ledger/reports/{report_id}/accept"),
    ("post", "/api/v1/ledger/reports/{report_id}/dispute"),
    ("post", "/api/v1/ledger/reports/{report_id}/messages"),
    ("post", "/api/v1/ledger/reports/{report_id}/decision"),
    ("get", "/api/v1/ledger/reports/{report_id}/photos/{photo_id}"),
}
PATRON_LOGIN = ("post", "/api/v1/account/session")


def test_it_describes_every_endpoint_with_schemas_and_errors(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    found = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert found == EXPECTED
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if (method, path) == PATRON_LOGIN:
                assert "security" not in op
            elif path.startswith("/api/v1/account/"):
                assert op["security"] == [{"PatronSession": []}], (method, path)
            else:
                assert op["security"] == [{"StaffToken": []}], (method, path)
            for status in ("400", "401", "403", "404", "409", "413", "422"):
                assert op["responses"][status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"
                }
            if "204" in op["responses"]:  # logging out: nothing to answer
                continue
            ok = op["responses"].get("200") or op["responses"]["201"]
            if "image/*" in ok.get("content", {}):  # a damage report's photo itself
                continue
            schema_out = ok["content"]["application/json"]["schema"]
            assert schema_out.get("$ref") or schema_out["items"]["$ref"], (method, path)
    assert schema["components"]["securitySchemes"]["StaffToken"]["scheme"] == "bearer"


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def test_no_two_schemas_share_a_name(client, db):
    """The document keys schemas by class name: a second LoanOut silently replaced the
    first, and POST /holds/ was documented with the patron's body, without patron_card."""
    from ninja import Schema

    client.get("/api/v1/openapi.json")  # imports every router
    ours = [s for s in _subclasses(Schema) if s.__module__.startswith("onelibrary.")]
    by_name: dict[str, set[str]] = {}
    for schema in ours:
        by_name.setdefault(schema.__name__, set()).add(schema.__module__)
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}
    document = client.get("/api/v1/openapi.json").json()
    body = document["paths"]["/api/v1/holds/"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "patron_card" in document["components"]["schemas"][ref]["properties"]


MONEY_OPERATIONS = {
    ("get", "/api/v1/circulation/patrons/{card}/charges"): "circulation_patron_charges",
    ("post", "/api/v1/circulation/patrons/{card}/payments"): "circulation_take_payment",
    ("get", "/api/v1/circulation/payments/{payment_id}"): "circulation_payment_receipt",
    ("post", "/api/v1/circulation/charges/{charge_id}/waivers"): "circulation_waive_charge",
    ("post", "/api/v1/circulation/charges/{charge_id}/refunds"): "circulation_refund_charge",
}


def test_it_names_the_money_operations(client, db):
    """Money at the desk (docs/circulation/money.md) has explicit operation ids, and its
    amounts are strings, never JSON numbers."""
    schema = client.get("/api/v1/openapi.json").json()
    for (method, path), operation_id in MONEY_OPERATIONS.items():
        assert schema["paths"][path][method]["operationId"] == operation_id
    amount = schema["components"]["schemas"]["PaymentIn"]["properties"]["amount"]
    assert amount["type"] == "string"


DISPUTE_OPERATIONS = {
    ("get", "/api/v1/ledger/reports"): "onelibrary_ledger_api_reports",
    ("post", "/api/v1/ledger/reports"): "onelibrary_ledger_api_report_damage",
    ("get", "/api/v1/ledger/reports/{report_id}"): "onelibrary_ledger_api_report",
    ("post", "/api/v1/ledger/reports/{report_id}/accept"): "onelibrary_ledger_api_report_accept",
    ("post", "/api/v1/ledger/reports/{report_id}/dispute"): "onelibrary_ledger_api_report_dispute",
    ("post", "/api/v1/ledger/reports/{report_id}/messages"): "onelibrary_ledger_api_report_message",
    ("post", "/api/v1/ledger/reports/{report_id}/decision"): "onelibrary_ledger_api_report_decide",
    ("get", "/api/v1/ledger/reports/{report_id}/photos/{photo_id}"): (
        "onelibrary_ledger_api_report_photo"
    ),
}


def test_it_names_the_damage_report_operations(client, db):
    """Damage reports and disputes (docs/ledger.md): explicit operation ids; a report, a
    dispute and a message are multipart forms with photos."""
    schema = client.get("/api/v1/openapi.json").json()
    for (method, path), operation_id in DISPUTE_OPERATIONS.items():
        assert schema["paths"][path][method]["operationId"] == operation_id
    body = schema["paths"]["/api/v1/ledger/reports"]["post"]["requestBody"]["content"]
    assert "photos" in body["multipart/form-data"]["schema"]["properties"]
