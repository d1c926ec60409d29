from django.urls import path

from onelibrary.helpdesk import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("report/suggest/", views.suggest, name="suggest"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/reply/", views.reply, name="reply"),
    path("reports/<int:pk>/triage/", views.triage, name="triage"),
    path("reports/<int:pk>/screenshot/", views.screenshot, name="screenshot"),
    path("answers/", views.answers, name="answers"),
    path("answers/<slug:slug>/", views.answer, name="answer"),
]
