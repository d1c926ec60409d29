"""The `patrons` namespace: the patron pages, and the whole-record pages above them."""

from django.urls import path

from onelibrary.patrons.urls import urlpatterns as patron_pages
from onelibrary.records import views

app_name = "patrons"

urlpatterns = [
    *patron_pages,
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/erase/", views.erase, name="erase"),
    path("merge/", views.merge_page, name="merge"),
    path("merge/confirm/", views.merge_confirm, name="merge_confirm"),
]
