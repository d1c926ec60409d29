"""The transit pages' addresses; `circulation/transit_pages.py` adds the desk's own and
is the module the site includes."""

from django.urls import path

from onelibrary.transit import views

app_name = "transit"

urlpatterns = [
    path("", views.index, name="index"),
    path("crates/open/", views.open_crate, name="open_crate"),
    path("crates/<str:label>/", views.crate_detail, name="crate"),
    path("crates/<str:label>/scan/", views.pack_scan, name="pack_scan"),
    path("crates/<str:label>/close/", views.close_crate, name="close_crate"),
    path("crates/<str:label>/reopen/", views.reopen_crate, name="reopen_crate"),
    path("crates/<str:label>/ship/", views.ship_crate, name="ship_crate"),
    path("crates/<str:label>/undo/", views.undo_unpack, name="undo_unpack"),
    path("crates/<str:label>/reconcile/", views.reconcile_crate, name="reconcile_crate"),
    path("crates/<str:label>/label.pdf", views.label_pdf, name="label_pdf"),
    path("crates/<str:label>/manifest.pdf", views.manifest_pdf, name="manifest_pdf"),
    path("receive/", views.receive, name="receive"),
    path("to-send/", views.to_send, name="to_send"),
    path("to-send/print/", views.to_send_print, name="to_send_print"),
    path("expected/", views.expected, name="expected"),
    path("late/", views.late_list, name="late"),
    path("items/", views.find_item_history, name="find_item"),
    path("items/<str:barcode>/", views.item_history, name="item"),
    path("transits/<int:pk>/", views.transit_detail, name="transit"),
]
