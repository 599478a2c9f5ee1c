"""The home page's public reach counter: schools and students reached this year,
cached for 15 minutes under the year, within the public pages' weight budget."""

import pytest
import time_machine
from django.core.cache import cache

from campaigns.selectors import COUNTER_SECONDS
from tests.campaigns.factories import wita
from tests.cms.test_page_weight import PAGE_BUDGET, stylesheet_bytes
from tests.monitoring.reach_data import visit

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_schools_and_students_reached_this_year(client, world):
    with time_machine.travel(wita(2026, 11, 20, 10), tick=False):
        html = client.get("/").content.decode()
    assert "Jangkauan 2026" in html
    # SD A (twice) and the inactive SD C; 35 boys and 37 girls. Not the village's parents.
    assert "<strong>2</strong> sekolah terjangkau" in html
    assert "<strong>72</strong> siswa terjangkau" in html


def test_it_is_cached_for_a_quarter_of_an_hour_under_the_year(client, world):
    assert COUNTER_SECONDS == 15 * 60
    with time_machine.travel(wita(2026, 11, 20, 10), tick=False):
        client.get("/")
        visit(world.b, wita(2026, 11, 19, 9), campaign=world.k1, students_male=500)
        assert "<strong>2</strong> sekolah" in client.get("/").content.decode()  # cached
        assert cache.get("reach:counter:2026")["schools"] == 2
    with time_machine.travel(wita(2026, 11, 20, 10, 16)):
        cache.delete("reach:counter:2026")  # what the expiry does (Redis ignores time travel)
        assert "<strong>3</strong> sekolah" in client.get("/").content.decode()
    with time_machine.travel(wita(2027, 1, 2, 10), tick=False):
        assert "Jangkauan" not in client.get("/").content.decode()  # a new year: nothing yet


def test_without_any_session_the_counter_is_not_shown(client, public_site):
    assert 'class="counter"' not in client.get("/").content.decode()


def test_the_home_page_stays_small_and_csp_clean(client, world):
    with time_machine.travel(wita(2026, 11, 20, 10), tick=False):
        response = client.get("/")
    html = response.content.decode()
    assert 'class="counter"' in html
    assert len(response.content) + stylesheet_bytes(html) <= PAGE_BUDGET
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert "style-src 'self'" in response["Content-Security-Policy"]
