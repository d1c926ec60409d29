"""The axe-core helper itself: it finds a real violation and says where."""

from __future__ import annotations

import pytest

from tests.axe import check_page, violations


@pytest.mark.browser
def test_it_fails_on_an_image_without_alt_text_and_an_unlabelled_input(page):
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        "</main></body></html>"
    )
    found = {v["id"] for v in violations(page)}
    assert {"image-alt", "label"} <= found
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt") as caught:
        check_page(page, "a bad page")
    assert "a bad page" in str(caught.value) and "at img" in str(caught.value)


@pytest.mark.browser
def test_it_passes_a_plain_labelled_page(page):
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Hi</h1>'
        '<label for="q">Search</label><input id="q" type="text"></main></body></html>'
    )
    check_page(page, "a good page")
