"""Filling a job's row with the file a task made: the file is stored before the row is
touched, outside any transaction (seconds of rendering or merging hold no connection or
lock), then the row is locked, checked and filled. A run that finds the row gone or
already done, or whose commit fails, deletes its own file: no file outlives its row.
(What a killed process leaves between the two steps, each app's sweeper deletes.)"""

from collections.abc import Callable

from django.core.files import File
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone


def row_fill_with_file(
    *,
    rows: QuerySet,
    pk: int,
    field_name: str,
    content: File,
    file_name: str,
    done: Callable[[Model], bool],
    values: dict | None = None,
) -> bool:
    """Store `content` as the `field_name` file of row `pk` of `rows` (a queryset to lock
    it with), with `values` set too and `ready_at` now; False, and the file deleted,
    when the locked row is gone or `done(row)`."""
    field = rows.model._meta.get_field(field_name)
    stored = field.storage.save(field.generate_filename(None, file_name), content)
    try:
        with transaction.atomic():
            row = rows.select_for_update(of=("self",)).filter(pk=pk).first()
            if row is None or done(row):
                field.storage.delete(stored)
                return False
            getattr(row, field_name).name = stored
            for name, value in (values or {}).items():
                setattr(row, name, value)
            row.ready_at = timezone.now()
            row.save(update_fields=[field_name, "ready_at", *(values or {})])
    except BaseException:
        field.storage.delete(stored)
        raise
    return True
