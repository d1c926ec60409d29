from django.urls import path

from onelibrary.directory import procedure_views as views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("new/", views.procedure_edit, name="new"),
    path("<slug:slug>/", views.procedure_detail, name="detail"),
    path("<slug:slug>/edit/", views.procedure_edit, name="edit"),
    path("<slug:slug>/v<int:number>/", views.procedure_detail, name="version"),
    path("<slug:slug>/v<int:number>/changes/", views.procedure_diff, name="diff"),
]
