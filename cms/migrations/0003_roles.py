from django.db import migrations

from cms import roles

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = [
    # Wagtail checks document permissions against wagtaildocs.Document, custom model or not.
    ("wagtaildocs", "document", ["add", "change", "choose", "delete"]),
    ("wagtailimages", "image", ["add", "change", "choose", "delete"]),
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    roles.ensure_permissions(apps)

    # Wagtail's default "Moderators" and "Editors" groups would only confuse staff.
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}
    for name in roles.ALL_ROLES:
        roles.grant(apps, name, ["wagtailadmin.access_admin"])

    # Admin Dinas: everything, including users and groups.
    groups[roles.ADMIN].permissions.add(*Permission.objects.all())

    # Staf Sosialisasi: hotlines and topics here; visits, quizzes, registry and the
    # dashboard are granted by those apps' migrations.
    roles.grant(
        apps,
        roles.STAFF,
        ["cms.change_helpsettings", *roles.crud("cms", "topic")],
    )

    # Pages, documents and images: the admin and the materials editors.
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    for name in (roles.ADMIN, roles.EDITOR):
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=groups[name],
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for app_label, model, actions in MEDIA_PERMISSIONS:
            for action in actions:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    ),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_topics_and_audiences"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
        ("wagtailembeds", "0009_embed_cache_until"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
