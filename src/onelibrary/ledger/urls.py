from django.urls import path

from onelibrary.ledger import report_views, views

app_name = "ledger"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("entries/<int:pk>/reverse", views.reverse, name="reverse"),
    path("settlement/", views.settlement_page, name="settlement"),
    path("settlement.pdf", views.settlement_pdf, name="settlement_pdf"),
    path("settlement.csv", views.settlement_csv, name="settlement_csv"),
    path("policy/", views.policy_page, name="policy"),
    path("compare/", views.compare_page, name="compare"),
    path("reports/", report_views.reports, name="reports"),
    path("reports/new", report_views.new_report, name="report_new"),
    path("reports/<int:pk>/", report_views.report, name="report"),
    path("reports/<int:pk>/accept", report_views.accept, name="report_accept"),
    path("reports/<int:pk>/dispute", report_views.dispute, name="report_dispute"),
    path("reports/<int:pk>/messages", report_views.message, name="report_message"),
    path("reports/<int:pk>/decision", report_views.decide, name="report_decide"),
    path("reports/<int:pk>/photos/<int:photo_id>", report_views.photo, name="report_photo"),
]
