"""Holds' own pages. The site includes `circulation.holds_pages.urlpatterns`, which adds
the desk's (cancel, pulled, not on the shelf) under the same `holds` namespace."""

from django.urls import path

from onelibrary.holds import views

app_name = "holds"

urlpatterns = [
    path("", views.index, name="index"),
    path("place/<int:title_id>/", views.place, name="place"),
    path("patron/<str:card>/", views.patron_holds, name="patron"),
    path("<int:pk>/suspend/", views.suspend, name="suspend"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/pickup/", views.change_pickup, name="change_pickup"),
    path("<int:pk>/explain/", views.explain, name="explain"),
    path("pick/", views.pick_list, name="pick_list"),
    path("shelf/", views.hold_shelf, name="shelf"),
    path("clear/", views.clear_list, name="clear_list"),
    path("clear/<int:pk>/", views.clear, name="clear"),
    path("late/", views.late_list, name="late"),
]
