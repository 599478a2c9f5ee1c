"""Fault injection: the cache's Redis (and the rate limits', the same one) cannot be
reached. Quiz pages still render from the database and students' answers are stored."""

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from limits import parse

from cms import ratelimit
from quizzes.models import Attempt
from schools.selectors import school_choices
from tests.quizzes.conftest import form_token
from tests.quizzes.factories import QuizSessionFactory, answers_for
from tests.schools.factories import SchoolFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache.ForgivingRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": settings.REDIS_SOCKET_OPTIONS,
        }
    }
    settings.RATELIMIT_STORAGE_URL = DEAD_REDIS


def test_a_redis_cache_url_gets_the_forgiving_backend_with_a_short_timeout():
    script = "from django.conf import settings; print(settings.CACHES['default'])"
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/3", "DJANGO_DEBUG": "1"}
    output = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings"},
        cwd=django_settings.BASE_DIR, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "'BACKEND': 'cms.cache.ForgivingRedisCache'" in output
    assert "'socket_timeout': 1" in output and "'socket_connect_timeout': 1" in output


@pytest.mark.usefixtures("redis_down")
def test_the_quiz_page_renders_and_a_submission_is_stored_when_redis_is_down(
    client, public_site, caplog
):
    school = SchoolFactory(name="SMP Negeri 3 Penajam", level="smp")
    session = QuizSessionFactory()  # public: the form lists the registry's schools
    with caplog.at_level(logging.WARNING):
        form = client.get(f"/q/{session.code}/")
        assert form.status_code == 200
        assert "SMP Negeri 3 Penajam" in form.content.decode()
        data = {
            "token": form_token(form),
            "kelas": "8B",
            "nama": "Rina Sari",
            "sekolah": str(school.pk),
            **answers_for(session.quiz),
        }
        response = client.post(f"/q/{session.code}/", data)
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.school == school and attempt.name == "Rina Sari"
    assert client.get(response["Location"]).status_code == 200
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("Cache unreachable") for message in messages)
    assert any(message.startswith("Rate limit storage unreachable") for message in messages)


@pytest.mark.usefixtures("redis_down")
def test_the_school_list_is_read_from_the_database_when_redis_is_down(db):
    SchoolFactory(name="SD Negeri 1 Penajam", level="sd")
    assert "SD Negeri 1 Penajam" in str(school_choices(levels=["sd"]))
    assert cache.get("anything", "missed") == "missed"
    cache.set("anything", "kept")  # dropped, not raised
    one_a_minute = parse("1/minute")
    assert ratelimit.hit(one_a_minute, "k") and ratelimit.hit(one_a_minute, "k")  # let through


@pytest.mark.usefixtures("redis_down")
def test_the_certificate_check_answers_when_redis_is_down(client, public_site):
    for _ in range(25):  # past the free failures: nothing slows down without its storage
        assert client.get("/v/SALAH0000000/").status_code == 404
