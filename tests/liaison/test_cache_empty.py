"""Counts and keys of querysets Django knows to be empty (issue 17: a handling unit's user got a 500)."""

import pytest
from django.core.cache import cache

from liaison.cache import statement_key
from stations.models import Station

pytestmark = pytest.mark.django_db


def test_statement_key_of_an_empty_queryset_is_stable():
    assert statement_key("wb-count", Station.objects.none()) == "wb-count:empty"
    assert statement_key("wb-count", Station.objects.filter(pk__in=[])) == "wb-count:empty"
    assert statement_key("wb-count", Station.objects.all()) != "wb-count:empty"


@pytest.mark.parametrize("url", ["/stations/opinions/", "/api/v1/opinions/"])
def test_unit_user_opens_opinion_lists_with_count_cache_on(client, settings, unit_zz, url):
    settings.WORKBENCH_COUNT_SECONDS = 120
    cache.clear()
    client.force_login(unit_zz)
    for _ in range(2):  # the second request reads what the first one kept
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
