"""Issue 19, item 10: a questionnaire's result says what it means in plain words, never in the
questionnaire's jargon (WHO-5's "above the cut-offs" read "Au-dessus des seuils")."""

from __future__ import annotations

import pytest
from django.utils import translation

from entraide.assessments import engine, values


def test_who5_without_a_cutoff_reads_as_average_well_being_or_above():
    with translation.override("fr"):
        meaning = values.meaning("who5", "above_cutoffs")
        assert meaning is not None
        assert str(meaning.label) == "Bien-être dans la moyenne ou au-dessus"
        assert str(meaning.sentence) == "Votre score de bien-être est dans la moyenne ou au-dessus."


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_band_speaks_of_thresholds(language):
    jargon = ("seuil", "cut-off", "cutoff", "threshold")
    for instrument in engine.all_instruments():
        for band, meaning in values.MEANINGS[instrument.key].items():
            with translation.override(language):
                words = f"{meaning.label} {meaning.sentence}".lower()
            assert not any(term in words for term in jargon), (instrument.key, band, words)
