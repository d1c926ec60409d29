from django.urls import path

from onelibrary.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.directory, name="index"),
    path("pamphlet.pdf", views.pamphlet, name="pamphlet"),
    path("pamphlet/", views.pamphlet_preview, name="pamphlet_preview"),
]
