import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _run_in_the_district_zone(task, **_kwargs):
    """Emails and PDFs that a worker renders show times in the district's zone. An
    eager task runs inside a request, which is in that zone already."""
    from django.utils import timezone

    from cms.district import district_zone

    if not task.request.is_eager:
        timezone.activate(district_zone())


@task_postrun.connect
def _leave_the_district_zone(task, **_kwargs):
    from django.utils import timezone

    if not task.request.is_eager:
        timezone.deactivate()
