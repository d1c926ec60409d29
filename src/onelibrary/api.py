"""The JSON API, version 1: one NinjaAPI, a router per part. OpenAPI at /api/v1/openapi.json.

Every endpoint needs a staff API token (`apiauth.StaffToken`); docs/api.md describes
the endpoints and the error codes.
"""

from ninja import NinjaAPI

from onelibrary.apiauth import JsonObjectParser, StaffToken, install_error_handlers
from onelibrary.catalog.api import router as catalog_router
from onelibrary.circulation.api import router as circulation_router
from onelibrary.circulation.holds_api import router as holds_desk_router
from onelibrary.circulation.item_api import router as item_actions_router
from onelibrary.circulation.items_api import router as items_router
from onelibrary.circulation.money_api import router as money_router
from onelibrary.circulation.transit_api import router as transit_desk_router
from onelibrary.policy.api import router as policy_router

api = NinjaAPI(
    title="OneLibrary API",
    version="1",
    description="Circulation, catalog and policy for staff systems. See docs/api.md.",
    urls_namespace="api-v1",
    auth=StaffToken(),
    parser=JsonObjectParser(),
)
install_error_handlers(api)

api.add_router("/circulation/", circulation_router)
api.add_router("/circulation/", item_actions_router)
api.add_router("/circulation/", money_router)
api.add_router("/catalog/", catalog_router)
api.add_router("/catalog/", items_router)
api.add_router("/policy/", policy_router)
api.add_router("/holds/", "onelibrary.holds.api.router")
api.add_router("/holds/", holds_desk_router)
api.add_router("/patrons/", "onelibrary.patrons.api.router")
api.add_router("/courier/", "onelibrary.courier.api.router")
api.add_router("/transit/", "onelibrary.transit.api.router")
api.add_router("/transit/", transit_desk_router)
api.add_router("/account/", "onelibrary.account.api.router")
api.add_router("/ledger/", "onelibrary.ledger.api.router")
api.add_router("/ledger/", "onelibrary.ledger.disputes_api.router")
