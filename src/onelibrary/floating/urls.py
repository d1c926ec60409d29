from django.urls import path

from onelibrary.floating import views

app_name = "floating"

urlpatterns = [
    path("", views.balancing, name="balancing"),
    path("balance.csv", views.balancing_csv, name="balancing_csv"),
    path("capacity", views.set_capacity, name="set_capacity"),
]
