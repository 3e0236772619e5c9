import pytest

from tests.votes.factories import make_congress, make_session


@pytest.fixture
def congress_ty(regions):
    """天元区 congress with 5 in-office deputies."""
    return make_congress(regions["tianyuan"], deputies=5, name="天元区第五届人民代表大会")


@pytest.fixture
def draft_session(congress_ty, staff_zz):
    congress, _seats = congress_ty
    return make_session(actor=staff_zz, congress=congress)


@pytest.fixture
def open_session(draft_session, staff_zz):
    from votes import services

    return services.session_open(actor=staff_zz, session=draft_session)
