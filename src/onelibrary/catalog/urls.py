from django.urls import path

from onelibrary.catalog import views

urlpatterns = [
    path("", views.home, name="home"),
]
