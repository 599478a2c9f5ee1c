from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from quizzes.models import Certificate


@receiver(post_delete, sender=Certificate)
def delete_certificate_file(sender, instance, **kwargs):
    """A deleted certificate (with its session or attempt) takes its PDF, and the
    child's name on it, along; only once the deletion is committed."""
    if instance.file:
        file = instance.file
        transaction.on_commit(lambda: file.delete(save=False))
