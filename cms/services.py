from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Site

from cms.district import DistrictProfile
from cms.localtime import local_date
from cms.models import DocumentDownloadDay, MaterialDocument


@transaction.atomic
def district_profile_save(*, site: Site | None = None, **fields) -> DistrictProfile:
    """Create or change the district profile of `site` (the default site unless given):
    the given fields, the others as they were. Raises ValidationError on a bad value."""
    site = site or Site.objects.get(is_default_site=True)
    profile = DistrictProfile.objects.filter(site=site).first() or DistrictProfile(site=site)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


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
