from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.district import local, with_zone_lazy
from quizzes import admin_views, home_panels, sheet_views
from quizzes.forms import QuestionAdminForm, QuizAdminForm, QuizSessionForm
from quizzes.models import Quiz, QuizSession


def local_time(moment) -> str:
    return date_format(local(moment), "j M Y H:i") if moment else "-"


class QuestionsPanel(InlinePanel):
    """The quiz's questions, each on QuestionAdminForm (true/false answer field)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = QuestionAdminForm
        return options


QUIZ_PANELS = [
    FieldPanel("title"),
    FieldPanel("introduction"),
    MultiFieldPanel(
        [FieldPanel("topic"), FieldPanel("audience"), FieldPanel("pass_mark")],
        heading=_("Classification"),
    ),
    QuestionsPanel(
        "questions",
        label=_("Questions"),
        min_num=1,
        panels=[
            FieldPanel("text"),
            FieldPanel("kind"),
            FieldPanel("true_false_answer"),
            # At least two options, except for true/false: QuizAdminForm checks.
            InlinePanel(
                "options",
                label=_("Options"),
                panels=[FieldPanel("text"), FieldPanel("is_correct")],
            ),
            FieldPanel("explanation"),
        ],
    ),
]


class QuizViewSet(ModelViewSet):
    model = Quiz
    name = "quizzes_quiz"
    url_prefix = "quizzes/quiz"
    icon = "list-ul"
    menu_label = _("Quizzes")
    index_view_class = admin_views.QuizIndexView
    delete_view_class = admin_views.QuizDeleteView
    list_display = ["title", "topic", "audience", "pass_mark"]
    list_filter = ["topic", "audience"]
    search_fields = ["title"]
    # Wagtail's copy view does not copy the questions; "Duplicate" does.
    copy_view_enabled = False
    edit_handler = ObjectList(QUIZ_PANELS, base_form_class=QuizAdminForm)


class QuizSessionViewSet(ModelViewSet):
    model = QuizSession
    name = "quizzes_session"
    url_prefix = "quizzes/sessions"
    icon = "date"
    menu_label = _("Quiz sessions")
    index_view_class = admin_views.QuizSessionIndexView
    add_view_class = admin_views.QuizSessionCreateView
    edit_view_class = admin_views.QuizSessionEditView
    list_display = [
        "code",
        "quiz",
        "school",
        "kind",
        Column(
            "opens_at",
            label=with_zone_lazy(_("Opens (%(zone)s)")),
            accessor=lambda session: local_time(session.opens_at),
            sort_key="opens_at",
        ),
        Column(
            "closes_at",
            label=with_zone_lazy(_("Closes (%(zone)s)")),
            accessor=lambda session: local_time(session.closes_at),
            sort_key="closes_at",
        ),
        Column("attempt_count", label=_("Attempts")),
    ]
    list_filter = ["kind", "quiz"]
    search_fields = ["code", "quiz__title"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("quiz"),
            FieldPanel("kind"),
            MultiFieldPanel([FieldPanel("visit"), FieldPanel("school")], heading=_("Where")),
            MultiFieldPanel(
                [FieldPanel("opens_at"), FieldPanel("closes_at"), FieldPanel("max_attempts")],
                heading=_("When and how many"),
            ),
            FieldPanel("code"),
        ],
        base_form_class=QuizSessionForm,
    )


class QuizzesGroup(ModelViewSetGroup):
    menu_label = _("Quizzes")
    menu_icon = "list-ul"
    menu_order = 250
    items = (QuizViewSet, QuizSessionViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return QuizzesGroup()


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quizzes.view_results")


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(
        _("Quiz results"), reverse("quizzes_admin:results"), icon_name="table", order=260
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("quiz/<int:pk>/preview/", admin_views.quiz_preview, name="quiz_preview"),
        path("quiz/<int:pk>/duplicate/", admin_views.quiz_duplicate_view, name="quiz_duplicate"),
        path("sessions/<int:pk>/projector/", admin_views.projector, name="projector"),
        path("sessions/<int:pk>/results/", admin_views.session_results, name="session_results"),
        path("sessions/<int:pk>/hasil.csv", admin_views.export_csv, name="export_csv"),
        path("sessions/<int:pk>/hasil.xlsx", admin_views.export_xlsx, name="export_xlsx"),
        path("sessions/<int:pk>/sertifikat.pdf", admin_views.certificates_pdf, name="certificates"),
        path(
            "sessions/<int:pk>/teacher-link/new/",
            admin_views.teacher_link_new,
            name="teacher_link_new",
        ),
        path(
            "sessions/<int:pk>/teacher-link/revoke/",
            admin_views.teacher_link_revoke_view,
            name="teacher_link_revoke",
        ),
        path("sessions/<int:pk>/lembar/", sheet_views.sheets_print, name="sheets_print"),
        path(
            "sessions/<int:pk>/lembar/soal.pdf", sheet_views.question_sheet, name="question_sheet"
        ),
        path("sessions/<int:pk>/lembar/unggah/", sheet_views.sheets_upload, name="sheets_upload"),
        path("sessions/<int:pk>/lembar/ketik/", sheet_views.sheets_grid, name="sheets_grid"),
        path("lembar/<int:pk>/", sheet_views.sheet_batch, name="sheet_batch"),
        path("lembar/<int:pk>/nama/", sheet_views.sheet_names, name="sheet_names"),
        path("lembar/halaman/<int:pk>/", sheet_views.sheet_page_review, name="sheet_page_review"),
        path(
            "lembar/halaman/<int:pk>/<str:part>.png",
            sheet_views.sheet_page_crop,
            name="sheet_page_crop",
        ),
        path("results/", admin_views.results_index, name="results"),
        path("results/school/<int:pk>/", admin_views.school_results, name="school_results"),
    ]
    return [path("quizzes/", (urls, "quizzes_admin", "quizzes_admin"))]


@hooks.register("construct_homepage_panels")
def add_home_panels(request, panels):
    if request.user.has_perm("quizzes.view_quizsession"):
        panels.append(home_panels.OpenSessionsPanel())
    if request.user.has_perm("quizzes.view_certificate"):
        panels.append(home_panels.FailedCertificatesPanel())
    if request.user.has_perms(["quizzes.change_quizsession", "quizzes.view_attempt"]):
        panels.append(home_panels.SheetsToReviewPanel())
