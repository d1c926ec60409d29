from django.urls import path

from onelibrary.courier import views

app_name = "courier"

urlpatterns = [
    path("", views.route_list, name="routes"),
    path("routes/new/", views.route_edit, name="route_add"),
    path("routes/<str:code>/", views.route_detail, name="route"),
    path("routes/<str:code>/edit/", views.route_edit, name="route_edit"),
    path("routes/<str:code>/delete/", views.route_delete, name="route_delete"),
    path("hubs/new/", views.hub_edit, name="hub_add"),
    path("hubs/<str:code>/edit/", views.hub_edit, name="hub_edit"),
    path("hubs/<str:code>/delete/", views.hub_delete, name="hub_delete"),
    path("days/", views.expected_days, name="expected_days"),
]
