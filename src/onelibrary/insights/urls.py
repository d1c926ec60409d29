"""The `insights` namespace, at /insights/."""

from django.urls import path, re_path

from onelibrary.insights import board, cost_pages, pages, schedule_pages

app_name = "insights"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("costs/", cost_pages.costs_page, name="costs"),
    path("schedules/", schedule_pages.schedules_page, name="schedules"),
    path("schedules/help/", schedule_pages.schedules_help, name="schedules_help"),
    re_path(r"^section/(?P<slug>[a-z-]+)/$", pages.section, name="section"),
    re_path(r"^table/(?P<slug>[a-z-]+)\.(?P<fmt>csv|xlsx)$", pages.download, name="download"),
    path("<str:code>/", pages.member_page, name="member"),
    path("<str:code>/board/", board.board_page, name="board"),
    path("<str:code>/board.pdf", board.board_pdf, name="board_pdf"),
]
