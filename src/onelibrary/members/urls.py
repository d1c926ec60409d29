from django.urls import path

from onelibrary.members import views

urlpatterns = [
    path("libraries/", views.library_list, name="library_list"),
    path("libraries/<str:code>/", views.library_detail, name="library_detail"),
    path("branches/<str:code>/", views.branch_detail, name="branch_detail"),
]
