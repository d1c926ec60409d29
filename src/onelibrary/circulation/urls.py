from django.urls import path

from onelibrary.circulation import home, money_pages, printing, views

app_name = "desk"

urlpatterns = [
    path("", home.home, name="home"),
    path("holds/<int:pk>/slip/", printing.hold_slip, name="hold_slip"),
    path("holds/<int:pk>/slip.pdf", printing.hold_slip_pdf, name="hold_slip_pdf"),
    path("hold-shelf/print/", printing.hold_shelf_print, name="hold_shelf_print"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/patron/", views.checkout_patron, name="checkout_patron"),
    path("checkout/item/", views.checkout_item, name="checkout_item"),
    path("checkout/done/", views.checkout_done, name="checkout_done"),
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/item/", views.checkin_item, name="checkin_item"),
    path("checkin/clear/", views.checkin_clear, name="checkin_clear"),
    path("patrons/<str:card>/loans/", views.patron_loans, name="patron_loans"),
    path("patrons/<str:card>/loans/renew/", views.renew_loans, name="renew_loans"),
    path("unprocessed/", views.unprocessed, name="unprocessed"),
    path("unprocessed/<int:pk>/resolve/", views.resolve_unprocessed, name="resolve_unprocessed"),
    *money_pages.urlpatterns,
]
