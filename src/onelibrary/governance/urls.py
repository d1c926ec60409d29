from django.urls import path

from onelibrary.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("members/<str:code>/", views.member, name="member"),
    path("members/<str:code>/step/", views.member_step, name="member_step"),
    path("members/<str:code>/reconcile/", views.reconciliation, name="reconcile"),
    path("members/<str:code>/reconcile/step/", views.reconcile_step, name="reconcile_step"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("history/", views.policy_history, name="history"),
    path("why/rules/<int:pk>/", views.why_rule, name="why_rule"),
    path("training/", views.training, name="training"),
    path("monitors/", views.monitor_page, name="monitors"),
]
