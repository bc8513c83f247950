"""The suite's own helpers, where a mistake would make tests pass or fail at random."""

from __future__ import annotations

from conftest import text_outside_urls


def test_text_outside_urls_drops_links_and_their_random_tokens():
    """Issue 18 item 11: a reminder test failed on a signed token spelling "GaD"."""
    email = "Bonjour,\nOuvrir : https://exemple.org/n/r/eyJ0GaD.aWhO/\nou /n/phq9-x/ ici.\nÀ bientôt"
    text = text_outside_urls(email)
    assert not any(word in text for word in ("gad", "who", "phq"))
    assert "bonjour" in text and "à bientôt" in text and "ouvrir" in text
