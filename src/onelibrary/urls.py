from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from onelibrary.api import api

# A request Django cannot read (e.g. a multipart body without its boundary) never reaches
# a view: the API still answers it with its one error body.
handler400 = "onelibrary.apiauth.bad_request"

urlpatterns = [
    path("", include("onelibrary.catalog.urls")),
    path("", include("onelibrary.members.urls")),
    path("", include("onelibrary.interop.urls")),
    path("desk/", include("onelibrary.circulation.urls")),
    path("holds/", include("onelibrary.circulation.holds_pages")),
    path("items/", include("onelibrary.circulation.item_pages")),
    path("policy/", include("onelibrary.policy.urls")),
    path("patrons/", include("onelibrary.records.urls")),
    path("courier/", include("onelibrary.courier.urls")),
    path("transit/", include("onelibrary.circulation.transit_pages")),
    path("floating/", include("onelibrary.floating.urls")),
    path("account/", include("onelibrary.account.urls")),
    path("ledger/", include("onelibrary.ledger.urls")),
    path("outreach/", include("onelibrary.outreach.urls")),
    path("directory/", include("onelibrary.directory.urls")),
    path("procedures/", include("onelibrary.directory.procedure_urls")),
    path("tickets/", include("onelibrary.directory.ticket_urls")),
    path("governance/", include("onelibrary.governance.urls")),
    path("helpdesk/", include("onelibrary.helpdesk.urls")),
    path("insights/", include("onelibrary.insights.urls")),
    path("api/v1/", api.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page links; send them to the icon.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("onelibrary/favicon.svg"), permanent=True),
        name="favicon",
    ),
]
