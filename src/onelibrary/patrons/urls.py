"""The patron pages' addresses; `records/urls.py` adds the whole-record pages and is the
one the site includes."""

from django.urls import path

from onelibrary.patrons import office_views, views

app_name = "patrons"

urlpatterns = [
    path("", views.find, name="find"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.record, name="record"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/audit/", office_views.audit_trail, name="audit"),
    path("home-library/", office_views.home_review, name="home_review"),
    path("duplicates/", office_views.duplicate_review, name="duplicate_review"),
    path("permissions/", office_views.permissions, name="permissions"),
]
