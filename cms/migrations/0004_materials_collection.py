"""Editors get documents and images in a "Materi" collection rather than the root one:
permissions on the root would cover every collection, including the visit photos that
campaigns keeps in its own collection (children of minors, personal data)."""

from django.db import migrations

MEDIA_PERMISSIONS = [
    ("wagtaildocs", "document", ["add", "change", "choose", "delete"]),
    ("wagtailimages", "image", ["add", "change", "choose", "delete"]),
]


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while number:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
    return text or "0"


def materials_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.get(depth=1)
    materials = Collection.objects.filter(depth=2, name="Materi").first()
    if materials is None:
        # Historical models have no treebeard API: add the last child by hand, with
        # treebeard's base-36 steps of 4 characters.
        last = Collection.objects.filter(depth=2).order_by("-path").first()
        step = int(last.path[-4:], 36) + 1 if last else 1
        path = root.path + _base36(step).rjust(4, "0")
        materials = Collection.objects.create(name="Materi", path=path, depth=2, numchild=0)
        root.numchild += 1
        root.save(update_fields=["numchild"])

    editor = Group.objects.get(name="Editor Materi")
    GroupCollectionPermission.objects.filter(group=editor, collection=root).delete()
    for app_label, model, actions in MEDIA_PERMISSIONS:
        for action in actions:
            GroupCollectionPermission.objects.get_or_create(
                group=editor,
                collection=materials,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ),
            )


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_roles")]

    operations = [migrations.RunPython(materials_collection, migrations.RunPython.noop)]
