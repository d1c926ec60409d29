from django.urls import path

from onelibrary.account import views

app_name = "account"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("pin/", views.change_pin, name="change_pin"),
    path("history/", views.loan_history, name="loan_history"),
    path("export/", views.export, name="export"),
    path("loans/<int:loan_id>/renew/", views.renew, name="renew"),
    path("holds/<int:hold_id>/", views.hold_detail, name="hold"),
    path("holds/<int:hold_id>/cancel/", views.hold_cancel, name="hold_cancel"),
    path("holds/<int:hold_id>/suspend/", views.hold_suspend, name="hold_suspend"),
    path("holds/<int:hold_id>/resume/", views.hold_resume, name="hold_resume"),
    path("holds/<int:hold_id>/pickup/", views.hold_pickup, name="hold_pickup"),
    path("titles/<int:title_id>/hold/", views.place_hold, name="place_hold"),
    path("staff/pin/", views.staff_pin, name="staff_pin"),
]
