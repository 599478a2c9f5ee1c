"""Settings for bench/quiz_burst.py's gunicorn: the project's, plus a bare view."""

from cms.settings import *  # noqa: F403
from cms.settings import STORAGES

ROOT_URLCONF = "bench.urls"
# No collectstatic in a bench: plain static storage.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Certificates queued here are dropped when the bench ends.
CELERY_TASK_DEFAULT_QUEUE = "bench-quiz-burst"
