"""Materials are reviewed before they go public: Editor Materi submits a page, and Staf
Sosialisasi or Admin Dinas approve it, which publishes it. Approving publishes as
the approver, so Staf Sosialisasi now has the edit and publish permissions on pages
that Editor Materi gives up.

Wagtail's default "Moderators approval" workflow was left with no approver when 0003
removed the "Moderators" group, so a submitted page could never be approved; it is
retired for this one."""

from django.db import migrations

from cms import roles

WORKFLOW = "Tinjauan materi"
TASK = "Persetujuan Staf Sosialisasi atau Admin"


def review_by_outreach_staff(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    Permission = apps.get_model("auth", "Permission")
    root = Page.objects.get(depth=1)
    GroupPagePermission.objects.filter(
        group__name=roles.EDITOR, permission__codename="publish_page"
    ).delete()
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=Group.objects.get(name=roles.STAFF),
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )

    task = GroupApprovalTask.objects.create(
        name=TASK,
        active=True,
        content_type=ContentType.objects.get_for_model(GroupApprovalTask),
    )
    task.groups.set(Group.objects.filter(name__in=[roles.STAFF, roles.ADMIN]))
    workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    orphaned = Workflow.objects.filter(name="Moderators approval")
    Task.objects.filter(workflow_tasks__workflow__in=orphaned).update(active=False)
    orphaned.update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_materials_collection"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(review_by_outreach_staff, migrations.RunPython.noop)]
