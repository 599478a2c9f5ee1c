from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cms.localtime import local_date
from cms.models import DocumentDownloadDay, MaterialDocument


@transaction.atomic
def document_count_download(*, document_id: int) -> None:
    """Add one download to the document's total and to its row for today (local), each
    in the database itself (UPDATE ... SET n = n + 1), so that concurrent downloads
    never overwrite each other's count. The first download of a day creates the row;
    when two race to create it, the loser adds to the winner's."""
    MaterialDocument.objects.filter(pk=document_id).update(download_count=F("download_count") + 1)
    day = local_date(timezone.now())
    today = DocumentDownloadDay.objects.filter(document_id=document_id, day=day)
    if today.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DocumentDownloadDay.objects.create(document_id=document_id, day=day, count=1)
    except IntegrityError:
        today.update(count=F("count") + 1)
