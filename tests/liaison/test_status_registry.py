"""The status registry speaks with the models' own words: a new or renamed status cannot drift from its badge."""

import pytest
from django.apps import apps

from liaison import status


@pytest.mark.parametrize("kind", sorted(status.SOURCES))
def test_registry_words_equal_the_model_choices(kind):
    app_model, field_name = status.SOURCES[kind].rsplit(".", 1)
    field = apps.get_model(app_model)._meta.get_field(field_name)
    model_words = {code: str(label) for code, label in field.choices}
    registry_words = {code: str(word) for code, (word, _tone) in status.STATUSES[kind].items() if code != "overdue"}
    assert registry_words == model_words


def test_every_status_has_a_known_tone():
    for table in status.STATUSES.values():
        for _word, tone in table.values():
            assert tone in status.TONES
