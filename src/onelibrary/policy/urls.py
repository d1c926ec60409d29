from django.urls import path

from onelibrary.policy import views

app_name = "policy"

urlpatterns = [
    path("differences/", views.differences, name="differences"),
    path("differences.csv", views.differences_csv, name="differences_csv"),
]
