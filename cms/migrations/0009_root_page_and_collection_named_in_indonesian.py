"""Wagtail names the top of the page tree and of the collections "Root", in English,
and staff see it in breadcrumbs and collection pickers: it becomes "Akar" (Wagtail's
Indonesian calls it "halaman akar"). A name someone already changed is left alone."""

from django.db import migrations

WAGTAIL_NAME = "Root"
INDONESIAN_NAME = "Akar"


def rename(apps, old, new):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)
    Collection.objects.filter(depth=1, name=old).update(name=new)


def to_indonesian(apps, schema_editor):
    rename(apps, WAGTAIL_NAME, INDONESIAN_NAME)


def to_english(apps, schema_editor):
    rename(apps, INDONESIAN_NAME, WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0008_topic_report_categories"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_indonesian, to_english)]
