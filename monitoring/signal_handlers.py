from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from monitoring.models import ActionUpdate, MeetingPack, ReachReport


@receiver(post_delete, sender=MeetingPack)
def delete_pack_file(sender, instance, **kwargs):
    """A deleted pack (replaced, or with its meeting) takes its PDF along, once the
    deletion is committed."""
    _delete_after_commit(instance.file)


@receiver(post_delete, sender=ReachReport)
def delete_report_file(sender, instance, **kwargs):
    """A deleted report takes its PDF along, once the deletion is committed."""
    _delete_after_commit(instance.file)


@receiver(post_delete, sender=ActionUpdate)
def delete_attachment(sender, instance, **kwargs):
    """An update deleted with its action or meeting takes its attachment along."""
    _delete_after_commit(instance.attachment)


def _delete_after_commit(file) -> None:
    if file:
        transaction.on_commit(lambda: file.delete(save=False))
