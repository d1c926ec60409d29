from django.urls import path

from onelibrary.ledger import views

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
]
