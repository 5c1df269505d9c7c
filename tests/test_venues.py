"""One name per venue in tables, however the data spelled it."""

from __future__ import annotations

import pytest

from implicit_atlas.graph.venues import normalize_venue, short_venue, venue_display


@pytest.mark.parametrize(
    ("venue", "short"),
    [
        ("International Conference on Learning Representations", "ICLR"),
        ("Proceedings of the 37th International Conference on Machine Learning", "ICML"),
        ("Advances in Neural Information Processing Systems 33", "NeurIPS"),
        ("arxiv", "arXiv"),
        ("ArXiv", "arXiv"),
        ("Mathematics of computation", "Mathematics of computation"),  # unknown: as given
        ("  Frontiers in Computational Neuroscience ", "Frontiers in Computational Neuroscience"),
        ("", ""),
        (None, None),
    ],
)
def test_short_venue(venue: str | None, short: str | None) -> None:
    assert short_venue(venue) == short


def test_venue_display_prefers_the_curated_label_in_the_venues_spelling() -> None:
    assert venue_display("arxiv", "arXiv.org") == "arXiv"
    assert venue_display("NeurIPS18", None) == "NeurIPS18"
    assert venue_display("ICML 2017", None) == "ICML17"
    assert venue_display("SIAM J. Imaging Sci.", None) == "SIAM J. Imaging Sci."
    assert venue_display(None, "International Conference on Learning Representations") == "ICLR"


def test_normalize_venue_drops_year_ordinal_volume_and_proceedings_of() -> None:
    assert normalize_venue(
        "Proceedings of the Thirty-Seventh AAAI Conference, Volume 3 (2023)"
    ) == ("aaai conference")
