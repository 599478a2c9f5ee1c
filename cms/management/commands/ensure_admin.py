import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.roles import ADMIN


class Command(BaseCommand):
    help = (
        "Create the superuser 'admin' if it does not exist, with the password from "
        "DJANGO_SUPERUSER_PASSWORD or a generated one that is printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write(_("The user 'admin' already exists."))
            return
        given = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        user = User.objects.create_superuser("admin", email="", password=password)
        user.groups.add(Group.objects.get(name=ADMIN))
        if given:
            self.stdout.write(_("Created the user 'admin' with DJANGO_SUPERUSER_PASSWORD."))
        else:
            message = _("Created the user 'admin'. Password (shown only once): %(password)s")
            self.stdout.write(self.style.WARNING(message % {"password": password}))
