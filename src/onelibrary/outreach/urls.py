from django.urls import path

from onelibrary.outreach import mou_pages, views

app_name = "outreach"

urlpatterns = [
    path("", views.home, name="home"),
    path("partners/new/", views.partner_edit, name="partner_new"),
    path("partners/<int:partner_id>/", views.partner, name="partner"),
    path("partners/<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:partner_id>/contacts/", views.add_contact, name="add_contact"),
    path("partners/<int:partner_id>/interactions/", views.add_interaction, name="add_interaction"),
    path("partners/<int:partner_id>/assessment/", views.assessment, name="assessment"),
    path("partners/<int:partner_id>/projects/", views.add_project, name="add_project"),
    path("partners/<int:partner_id>/memoranda/", mou_pages.start, name="memo_new"),
    path("projects/<int:project_id>/", views.project, name="project"),
    path("projects/<int:project_id>/chart.svg", views.project_chart, name="project_chart"),
    path("projects/<int:project_id>/indicators/", views.add_indicator, name="add_indicator"),
    path("indicators/<int:indicator_id>/values/", views.record_value, name="record_value"),
    path("memoranda/<int:memo_id>/", mou_pages.memo, name="memo"),
    path("memoranda/<int:memo_id>/step/<int:number>/", mou_pages.step, name="step"),
    path("memoranda/<int:memo_id>/sign-off/", mou_pages.sign_off, name="sign_off"),
    path("memoranda/<int:memo_id>/sign/", mou_pages.sign, name="sign"),
    path("memoranda/<int:memo_id>/review/", mou_pages.review, name="review"),
    path("memoranda/<int:memo_id>/pdf/", mou_pages.memo_pdf, name="memo_pdf"),
    path("memoranda/<int:memo_id>/versions/<int:number>/", mou_pages.version, name="version"),
    path(
        "memoranda/<int:memo_id>/versions/<int:number>/pdf/",
        mou_pages.version_pdf,
        name="version_pdf",
    ),
]
