from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from monitoring.models import ReachReport


@receiver(post_delete, sender=ReachReport)
def delete_report_file(sender, instance, **kwargs):
    """A deleted report takes its PDF along, once the deletion is committed."""
    if instance.file:
        file = instance.file
        transaction.on_commit(lambda: file.delete(save=False))
