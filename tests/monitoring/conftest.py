import pytest

from cms.roles import STAFF
from quizzes.tallies import quiz_tallies_refresh


@pytest.fixture
def world(world):
    """The small world with its quiz tallies up to date, as beat keeps them."""
    quiz_tallies_refresh()
    return world


@pytest.fixture
def staff_client(role_clients):
    return role_clients(STAFF)
