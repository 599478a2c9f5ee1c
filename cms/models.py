"""The public site: home, the materials library, help and hotlines.

Topics and audiences are rows, not choices, because campaigns and quizzes classify
their work with the same lists and the dashboard groups by them.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

# DistrictProfile and SearchSettings live beside the code that reads them; imported
# here so that Django counts them among this app's models.
from cms.district import DistrictProfile  # noqa: F401
from cms.search import SearchSettings, stem_text  # noqa: F401

MATERIALS_PER_PAGE = 12
# The Wagtail collection for material files and images, created by a migration; the
# "Editor Materi" role has permissions on it only.
MATERIALS_COLLECTION = "Materi"


class EmailStatus(models.TextChoices):
    CLAIMED = "claimed", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ClaimedEmail(models.Model):
    """An email sent at most once (see cms/mail.py): each app's subclass says what it is
    about and holds the unique constraint on that, its kind and the recipient."""

    recipient = models.EmailField(_("recipient"))
    status = models.CharField(_("status"), max_length=8, choices=EmailStatus.choices)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True
        ordering = ["claimed_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"


class ReportCategory(models.TextChoices):
    """The forms of violence that SIMFONI-PPA (the ministry's reporting system) counts,
    then the issues the campaign names beside them. Staff map each topic to these once,
    so reach can be reported in the ministry's terms."""

    PHYSICAL = "fisik", _("Physical violence")
    PSYCHOLOGICAL = "psikis", _("Psychological violence")
    SEXUAL = "seksual", _("Sexual violence")
    EXPLOITATION = "eksploitasi", _("Exploitation")
    TRAFFICKING = "tppo", _("Trafficking in persons")
    NEGLECT = "penelantaran", _("Neglect")
    OTHER = "lainnya", _("Other violence")
    CHILD_MARRIAGE = "perkawinan-anak", _("Child marriage")
    CHILDREN_IN_CONFLICT = "abh", _("Children in conflict with the law")
    ONLINE_SAFETY = "daring", _("Online safety")


class Topic(models.Model):
    """A campaign theme (bullying, TPPO, child marriage...), edited by staff as a snippet."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Used in addresses, e.g. ?topik=...")
    )
    description = models.TextField(_("description"), blank=True)
    report_categories = models.JSONField(
        _("SIMFONI-PPA categories"),
        default=list,
        blank=True,
        help_text=_("What this topic is about in the ministry's terms."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def clean(self):
        unknown = set(self.report_categories) - set(ReportCategory.values)
        if unknown:
            raise ValidationError({"report_categories": _("Choose among the categories shown.")})


class Audience(models.Model):
    """Who a material or campaign is for. A fixed list, created by a migration."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self):
        return self.name


class MaterialFormat(models.TextChoices):
    POSTER = "poster", _("Poster")
    SLIDES = "slide", _("Slides")
    GUIDE = "modul", _("Module / guide")
    LEAFLET = "leaflet", _("Leaflet")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")


class MaterialDocument(AbstractDocument):
    """A Wagtail document that counts its downloads through /unduh/. Wagtail checks
    document permissions against its own wagtaildocs.Document model."""

    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class DocumentDownloadDay(models.Model):
    """Downloads of one document on one day (local), so that download figures follow a
    period. One row per document and day, incremented in the database
    (cms.services.document_count_download); the document keeps its all-time total."""

    document = models.ForeignKey(
        MaterialDocument, on_delete=models.CASCADE, related_name="download_days"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("downloads of a day")
        verbose_name_plural = _("downloads per day")
        constraints = [
            models.UniqueConstraint(fields=["document", "day"], name="one_download_row_per_day")
        ]

    def __str__(self):
        return f"{self.document_id} · {self.day}: {self.count}"


class HomePage(Page):
    """The campaign's front page: its message, the newest materials and where to get help."""

    intro = models.CharField(_("campaign message"), max_length=255)
    body = RichTextField(_("text"), blank=True, features=["bold", "italic", "link", "ul", "ol"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.MaterialIndexPage", "cms.HelpPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_materials"] = (
            MaterialPage.objects.live()
            .public()
            .select_related("cover_image")
            .order_by("-first_published_at")[:4]
        )
        context["materials_index"] = MaterialIndexPage.objects.live().first()
        context["help_page"] = HelpPage.objects.live().first()
        return context


class MaterialIndexPage(Page):
    """The library: every material below it, filtered by plain GET parameters."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.MaterialPage"]

    class Meta:
        verbose_name = _("materials index")

    def get_context(self, request, *args, **kwargs):
        from cms.forms import MaterialFilterForm
        from cms.selectors import material_list

        context = super().get_context(request, *args, **kwargs)
        filter_form = MaterialFilterForm(request.GET)
        applied = filter_form.applied
        synonyms = SearchSettings.for_request(request).synonym_map() if applied["query"] else {}
        materials = material_list(index_page=self, synonyms=synonyms, **applied)
        context["filter_form"] = filter_form
        context["materials_page"] = Paginator(materials, MATERIALS_PER_PAGE).get_page(
            request.GET.get("halaman")
        )
        context["filter_querystring"] = filter_form.querystring()
        return context


class MaterialPage(Page):
    """One awareness material: a poster, slide deck, guide... with its downloadable files."""

    summary = models.TextField(_("summary"), max_length=400)
    body = RichTextField(_("description"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), related_name="materials")
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("audiences"), related_name="materials"
    )
    format = models.CharField(_("format"), max_length=20, choices=MaterialFormat.choices)
    video_url = models.URLField(
        _("video address"),
        blank=True,
        help_text=_("A YouTube address is shown as a video player; any other address as a link."),
    )
    video_text_alternative = models.TextField(
        _("text alternative for the video"),
        blank=True,
        help_text=_("What the video says and shows, for those who cannot watch it."),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        # Indonesian roots of all of it, so "rundung" finds "perundungan" (cms/search.py).
        index.SearchField("search_stems"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("format"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Classification"),
        ),
        InlinePanel("files", label=_("Files"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("video_url"), FieldPanel("video_text_alternative")],
            heading=_("Video"),
        ),
        HelpPanel(template="cms/panels/download_counts.html", heading=_("Downloads")),
    ]
    parent_page_types = ["cms.MaterialIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    @property
    def youtube_id(self):
        match = re.match(
            r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?v=|embed/|shorts/)|youtu\.be/)"
            r"([A-Za-z0-9_-]{11})",
            self.video_url,
        )
        return match.group(1) if match else None

    def search_stems(self) -> str:
        """The title, summary and text by their Indonesian roots, for the index. (Not the
        topics: Wagtail indexes a page when it is saved, before modelcluster stores its
        topics, so they would lag one edit behind.)"""
        return stem_text(f"{self.title} {self.summary} {self.body}")

    @property
    def download_total(self):
        return sum(f.document.download_count for f in self.files.all())


class MaterialFile(Orderable):
    page = ParentalKey(MaterialPage, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey(
        MaterialDocument, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Optional, e.g. 'A3 poster to print'.")
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")


class HelpPage(Page):
    """'Butuh bantuan?': where a child or adult can report and get help. Hotlines come from
    the site settings so that one edit changes every page."""

    intro = RichTextField(_("text"), features=["bold", "italic", "link", "ul", "ol", "h2", "h3"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("help page")


class HotlineValue(blocks.StructValue):
    def href(self):
        if not self["number"]:
            return ""
        digits = re.sub(r"\D", "", self["number"])
        if self["whatsapp"]:
            # wa.me wants the number with the country code: 08111... -> 628111...
            if digits.startswith("0"):
                digits = "62" + digits[1:]
            return f"https://wa.me/{digits}"
        return f"tel:{digits}"


class HotlineBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=100)
    number = blocks.CharBlock(label=_("number"), max_length=40, required=False)
    whatsapp = blocks.BooleanBlock(label=_("WhatsApp number"), required=False)
    description = blocks.CharBlock(label=_("description"), max_length=200, required=False)

    class Meta:
        icon = "mobile-alt"
        label = _("Hotline")
        template = "cms/blocks/hotline.html"
        value_class = HotlineValue


@register_setting(icon="help")
class HelpSettings(BaseSiteSetting):
    """Hotlines shown in every public page's footer and on the help page."""

    hotlines = StreamField([("hotline", HotlineBlock())], verbose_name=_("hotlines"), blank=True)

    panels = [FieldPanel("hotlines")]

    class Meta:
        verbose_name = _("help and hotlines")
