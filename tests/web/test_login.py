"""Logging in and out (Django's auth views, our templates)."""

from django.test import Client

from tests.conftest import PASSWORD


def test_it_shows_a_labelled_login_form(world):
    html = Client().get("/login/").content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html


def test_it_logs_staff_in_and_back_to_where_they_were(world):
    client = Client()
    response = client.post(
        "/login/", {"username": "desk.pine", "password": PASSWORD, "next": "/libraries/"}
    )
    assert response.status_code == 302 and response["Location"] == "/libraries/"
    assert "Log out" in client.get("/").content.decode()


def test_it_says_so_when_the_password_is_wrong(world):
    response = Client().post("/login/", {"username": "desk.pine", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_it_logs_out_with_a_post(world):
    client = Client()
    client.force_login(world.desk_pine)
    assert client.post("/logout/").status_code == 302
    assert "Log in" in client.get("/").content.decode()
