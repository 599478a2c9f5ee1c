from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns import demo as campaigns_demo
from cms import demo as cms_demo
from monitoring import demo as monitoring_demo
from quizzes import demo as quizzes_demo
from schools import demo as schools_demo


class Command(BaseCommand):
    help = "Load the demo content. Safe to run again: existing content is left as it is."

    @transaction.atomic
    def handle(self, *args, **options):
        cms_demo.seed(self.stdout)
        schools_demo.seed(self.stdout)
        campaigns_demo.seed(self.stdout)
        quizzes_demo.seed(self.stdout)
        monitoring_demo.seed(self.stdout)
