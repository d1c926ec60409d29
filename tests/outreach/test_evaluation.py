"""Projects, indicators and recorded values through the pages; the partnership's verdict,
its chart (SVG drawn on the server) and the table that is the chart's text alternative
(EVAL-1…5)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from onelibrary.outreach import actions
from onelibrary.outreach.models import Indicator, IndicatorValue, Project
from tests.outreach.conftest import client_for


def project_with_indicator(outreach, target: str = "40") -> tuple[Project, Indicator]:
    staff = outreach.world.admin_riv
    project = actions.add_project(staff, outreach.literacy, name="Tuesday tutoring")
    indicator = actions.add_indicator(
        staff, project, name="Learners attending", unit="people", target=target
    )
    return project, indicator


def test_eval_4_a_project_needs_a_name_and_must_not_end_before_it_starts(outreach):
    client = client_for("admin.riv")
    url = f"/outreach/partners/{outreach.literacy.id}/projects/"
    refused = client.post(
        url, {"name": "Tutoring", "starts_on": "2025-05-01", "ends_on": "2025-04-01"}
    )
    assert refused.status_code == 400 and "EVAL-4" in refused.content.decode()
    assert client.post(url, {"name": ""}).status_code == 400
    assert not Project.objects.exists()
    assert client.post(url, {"name": "Tutoring", "starts_on": "2025-04-01"}).status_code == 302


def test_eval_5_an_indicator_needs_a_name(outreach):
    project, _ = project_with_indicator(outreach)
    response = client_for("admin.riv").post(
        f"/outreach/projects/{project.id}/indicators/",
        {"name": "", "target": "10", "higher_is_better": "yes"},
    )
    assert response.status_code == 400 and "EVAL-5" in response.content.decode()
    assert project.indicators.count() == 1


def test_eval_1_a_value_that_is_not_a_number_is_refused_and_kept_on_the_form(outreach):
    _, indicator = project_with_indicator(outreach)
    client = client_for("admin.riv")
    url = f"/outreach/indicators/{indicator.id}/values/"
    response = client.post(url, {"on": "2025-03-31", "value": "about forty", "note": "spring"})
    html = response.content.decode()
    assert response.status_code == 400 and "EVAL-1" in html and "must be a number" in html
    assert 'value="about forty"' in html and 'value="spring"' in html
    assert not IndicatorValue.objects.exists()
    for bad in ("12 people", "NaN", "Infinity", "1e20"):
        assert client.post(url, {"on": "2025-03-31", "value": bad}).status_code == 400
    assert not IndicatorValue.objects.exists()
    assert client.post(url, {"on": "2025-03-31", "value": "1,204.5"}).status_code == 302
    assert str(IndicatorValue.objects.get().value) == "1204.50"


def test_eval_1_a_target_that_is_not_a_number_is_refused(outreach):
    project, _ = project_with_indicator(outreach)
    response = client_for("admin.riv").post(
        f"/outreach/projects/{project.id}/indicators/",
        {"name": "Books lent", "target": "lots", "higher_is_better": "yes"},
    )
    assert response.status_code == 400 and "EVAL-1" in response.content.decode()
    assert not Indicator.objects.filter(name="Books lent").exists()


def test_eval_3_the_partnership_page_says_whether_it_met_its_goals(outreach):
    project, indicator = project_with_indicator(outreach)
    client = client_for("admin.riv")
    page_url = f"/outreach/partners/{outreach.literacy.id}/"
    assert "Not yet measured" in client.get(page_url).content.decode()

    client.post(f"/outreach/indicators/{indicator.id}/values/", {"on": "2025-01-31", "value": "22"})
    page = client.get(page_url).content.decode()
    assert "Has not met its goals" in page and "31 Jan 2025: 22" in page

    client.post(f"/outreach/indicators/{indicator.id}/values/", {"on": "2025-03-31", "value": "41"})
    page = client.get(page_url).content.decode()
    assert "Met its goals" in page and "Has not met" not in page
    assert "Tuesday tutoring — Learners attending: 41 people" in page  # in the history


def test_the_chart_is_an_svg_drawn_on_the_server_with_the_table_beside_it(outreach):
    project, indicator = project_with_indicator(outreach)
    client = client_for("admin.riv")
    chart_url = f"/outreach/projects/{project.id}/chart.svg"
    assert client.get(chart_url).status_code == 404  # nothing recorded yet
    for on, value in (("2025-01-31", "22"), ("2025-02-28", "30"), ("2025-03-31", "41")):
        client.post(f"/outreach/indicators/{indicator.id}/values/", {"on": on, "value": value})
    response = client.get(chart_url)
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag.endswith("svg")
    assert "Learners attending (people)" in response.content.decode()
    page = client.get(f"/outreach/partners/{outreach.literacy.id}/").content.decode()
    assert f'src="{chart_url}"' in page and "the table below gives the same figures" in page
    assert "<caption>Tuesday tutoring: indicators, targets and recorded values" in page
    assert client_for("desk.pine").get(chart_url).status_code == 404
