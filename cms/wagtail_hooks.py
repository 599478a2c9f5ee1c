from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Site
from wagtail.permissions import policy_registry
from wagtail.sites.views import IndexView as SiteIndexView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import ReportCategory, Topic


class TopicForm(WagtailAdminModelForm):
    report_categories = forms.MultipleChoiceField(
        label=_("SIMFONI-PPA categories"),
        choices=ReportCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What this topic is about in the ministry's terms."),
    )


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("report_categories"),
            FieldPanel("sort_order"),
        ],
        base_form_class=TopicForm,
    )


register_snippet(TopicViewSet)


class PermittedImagesAPIViewSet(ImagesAdminAPIViewSet):
    """Wagtail's admin image API lists every image to anyone who can open the admin,
    whatever their collections: a partner saw every visit photo of children, with its
    address. Here it lists only the images the user may choose or change, as Wagtail's
    own image pages do."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_image_model())
        permitted = policy.instances_user_has_any_permission_for(
            self.request.user, ["choose", "change"]
        )
        return super().get_queryset().filter(pk__in=permitted.values("pk"))


# After Wagtail's images app registers its own endpoint under the same name.
@hooks.register("construct_admin_api", order=100)
def _images_api_by_permission(router):
    router.register_endpoint("images", PermittedImagesAPIViewSet)


# Wagtail's editor guide and release notes are English pages on wagtail.org that name
# its version: the office's staff get the Help menu's keyboard shortcuts only (the
# dashboard's link to the guide goes in cms/templates/wagtailadmin/home/account_summary.html).
@hooks.register("construct_help_menu")
def _help_menu_without_wagtail_guides(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]


# Wagtail 8.0.1's list of sites heads three columns with their field names, in English
# ("Site name", "Root page"): they get the fields' names, which Wagtail translates.
for column in SiteIndexView.columns:
    if column.name in {"port", "site_name", "root_page"}:
        column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
