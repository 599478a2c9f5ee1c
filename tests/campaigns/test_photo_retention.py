"""Visit photos of children are deleted VISIT_PHOTO_RETENTION_MONTHS after the visit,
with their image files and renditions, by the nightly beat task."""

import pytest
import time_machine
from django.core.files.storage import default_storage
from wagtail.images.models import Image, Rendition

from campaigns import tasks
from campaigns.models import VisitPhoto
from campaigns.services import visit_record
from tests.campaigns.factories import VisitFactory, wita
from tests.campaigns.test_record import photo

pytestmark = pytest.mark.django_db


def visit_with_photo(day, staff):
    visit = VisitFactory(starts_at=day, facilitators=[staff])
    with time_machine.travel(day, tick=False):
        visit_record(
            visit=visit,
            by=staff,
            attendance={"teachers_female": 3},
            new_photos=[photo()],
            photo_consent=True,
        )
    image = visit.photos.get().image
    rendition = image.get_rendition("fill-160x120")
    return visit, image, [image.file.name, rendition.file.name]


def test_photos_older_than_the_retention_go_with_their_files(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.VISIT_PHOTO_RETENTION_MONTHS = 24
    old, old_image, old_files = visit_with_photo(wita(2024, 3, 1, 9), staff)
    recent, recent_image, recent_files = visit_with_photo(wita(2024, 3, 2, 9), staff)
    assert all(default_storage.exists(name) for name in old_files + recent_files)

    with time_machine.travel(wita(2026, 3, 1, 8), tick=False):  # 24 months less an hour
        assert tasks.visit_photos_delete_expired.delay().get() == 0
    with (
        time_machine.travel(wita(2026, 3, 2, 2, 45), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.visit_photos_delete_expired.delay().get() == 1

    assert list(VisitPhoto.objects.values_list("visit", flat=True)) == [recent.pk]
    assert not Image.objects.filter(pk=old_image.pk).exists()
    assert not Rendition.objects.filter(image_id=old_image.pk).exists()
    assert not any(default_storage.exists(name) for name in old_files)
    assert all(default_storage.exists(name) for name in recent_files)
    old.refresh_from_db()  # the visit and its figures stay


def test_the_retention_is_a_setting(staff, settings):
    settings.VISIT_PHOTO_RETENTION_MONTHS = 1
    visit_with_photo(wita(2026, 1, 10, 9), staff)
    with time_machine.travel(wita(2026, 2, 11, 2, 45), tick=False):
        assert tasks.visit_photos_delete_expired.delay().get() == 1


def test_beat_runs_it_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["campaigns-delete-expired-visit-photos"]
    assert entry["task"] == "campaigns.tasks.visit_photos_delete_expired"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {45}
