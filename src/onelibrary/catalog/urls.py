from django.urls import path

from onelibrary.catalog import views

urlpatterns = [
    path("", views.home, name="home"),
    path("catalog/", views.search, name="search"),
    path("catalog/titles/<int:pk>/", views.title_detail, name="title_detail"),
    path("items/<str:barcode>/edit/", views.item_edit, name="item_edit"),
]
