from django.db.models import F

from cms.models import MaterialDocument


def document_count_download(*, document_id: int) -> None:
    """Add one download in the database itself (UPDATE ... SET n = n + 1), so that
    concurrent downloads never overwrite each other's count."""
    MaterialDocument.objects.filter(pk=document_id).update(download_count=F("download_count") + 1)
