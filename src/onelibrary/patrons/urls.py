from django.urls import path

from onelibrary.patrons import office_views, views

app_name = "patrons"

urlpatterns = [
    path("", views.find, name="find"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.record, name="record"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/erase/", views.erase, name="erase"),
    path("<int:pk>/audit/", office_views.audit_trail, name="audit"),
    path("merge/", office_views.merge_page, name="merge"),
    path("merge/confirm/", office_views.merge_confirm, name="merge_confirm"),
    path("home-library/", office_views.home_review, name="home_review"),
    path("duplicates/", office_views.duplicate_review, name="duplicate_review"),
    path("permissions/", office_views.permissions, name="permissions"),
]
