"""Staff screens in the Wagtail admin: quiz preview and duplication, the projector page,
results per session and per school, exports and the session's certificates.

Every view checks a permission: Wagtail's admin URLs already demand a login. Names of
students appear only behind `quizzes.view_attempt` (exports, certificates); results
pages show figures only (`quizzes.view_results`, which partners also have)."""

import io
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from pypdf import PdfWriter
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic

from campaigns.selectors import visit_list
from cms import qr
from cms.admin_refusals import require_permission
from cms.district import local, with_zone
from cms.forms import id_param
from cms.links import absolute_url
from cms.spreadsheets import csv_response, xlsx_response
from quizzes.forms import AttemptForm, ResultsFilterForm
from quizzes.models import Gender, Quiz, QuizSession, SessionKind
from quizzes.results import attempt_figures, prepost_figures, question_figures, school_figures
from quizzes.selectors import (
    attempt_count,
    attempts_in,
    quiz_questions,
    session_attempts,
    session_certificates,
    session_list,
    short_url,
    with_figures,
)
from quizzes.services import quiz_duplicate
from quizzes.teacher import teacher_link_create, teacher_link_live, teacher_link_revoke
from schools.selectors import school_by_id


class QuizIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("topic", "audience")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        buttons.append(
            MenuItem(
                gettext_lazy("Preview as a student"),
                url=reverse("quizzes_admin:quiz_preview", args=[instance.pk]),
                icon_name="view",
                priority=15,
            )
        )
        if user.has_perm("quizzes.add_quiz"):
            buttons.append(
                MenuItem(
                    gettext_lazy("Duplicate"),
                    url=reverse("quizzes_admin:quiz_duplicate", args=[instance.pk]),
                    icon_name="copy",
                    priority=20,
                )
            )
        return buttons


class QuizDeleteView(generic.DeleteView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("This quiz has sessions and results, so it cannot be deleted."),
            )
            return redirect(self.index_url_name)


def session_tools(session: QuizSession, user) -> list[MenuItem]:
    """What staff do with a session, as labelled links: its page, its results page and
    the "…" menu of its row all show this list. The exports and the certificates carry
    students' names, so they need quizzes.view_attempt; partners, who read results,
    get none of the session's own tools."""
    if not user.has_perm("quizzes.view_quizsession"):
        return []
    by_pk = [
        (gettext_lazy("Projector"), "quizzes_admin:projector", "desktop", 11),
        (gettext_lazy("Results"), "quizzes_admin:session_results", "table", 12),
    ]
    by_code = [
        (gettext_lazy("Poster (PDF)"), "quizzes:poster", "download", 13),
        (gettext_lazy("QR code (PNG)"), "quizzes:qr_png", "download", 13),
        (gettext_lazy("QR code (SVG)"), "quizzes:qr_svg", "download", 13),
    ]
    if user.has_perm("quizzes.change_quizsession"):
        by_pk.append((gettext_lazy("Answer sheets"), "quizzes_admin:sheets_print", "doc-full", 13))
    if user.has_perm("quizzes.view_attempt"):
        by_pk += [
            (gettext_lazy("Results (CSV)"), "quizzes_admin:export_csv", "download", 14),
            (gettext_lazy("Results (Excel)"), "quizzes_admin:export_xlsx", "download", 14),
            (gettext_lazy("All certificates (PDF)"), "quizzes_admin:certificates", "download", 14),
        ]
    tools = [
        MenuItem(label, url=reverse(name, args=[key]), icon_name=icon, priority=priority)
        for links, key in ((by_pk, session.pk), (by_code, session.code))
        for label, name, icon, priority in links
    ]
    return sorted(tools)


class QuizSessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return with_figures(super().get_base_queryset().select_related("quiz", "school"))

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + session_tools(instance, self.request.user)


class QuizSessionEditView(generic.EditView):
    """The session's own page: its tools as labelled buttons above the form."""

    template_name = "quizzes/admin/session_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tools"] = session_tools(self.object, self.request.user)
        return context


class QuizSessionCreateView(generic.CreateView):
    def get_initial(self):
        """?visit=<id>, from a visit's page: the session opens for that visit, from its
        start until two hours after its end (time for the post-test), with the quiz of
        the visit's campaign when it has exactly one."""
        initial = super().get_initial()
        visit_id = id_param(self.request.GET.get("visit", ""))
        visit = visit_list().filter(pk=visit_id).first() if visit_id is not None else None
        if visit is not None:
            initial.update(
                visit=visit,
                opens_at=visit.starts_at,
                closes_at=visit.ends_at + timedelta(hours=2),
            )
            campaign_quizzes = list(Quiz.objects.filter(campaigns__visits=visit)[:2])
            if len(campaign_quizzes) == 1:
                initial["quiz"] = campaign_quizzes[0]
        return initial

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


@require_permission("quizzes.view_quiz")
def quiz_preview(request, pk: int):
    quiz = get_object_or_404(Quiz, pk=pk)
    return render(
        request,
        "quizzes/take.html",
        {
            "quiz": quiz,
            "form": AttemptForm(quiz=quiz),
            "preview": True,
            "retention_months": settings.QUIZ_RETENTION_MONTHS,
        },
    )


@require_permission("quizzes.add_quiz")
def quiz_duplicate_view(request, pk: int):
    quiz = get_object_or_404(Quiz, pk=pk)
    if request.method == "POST":
        copy = quiz_duplicate(quiz=quiz)
        messages.success(request, _("Quiz duplicated: edit the copy below."))
        return redirect("quizzes_quiz:edit", copy.pk)
    return render(
        request,
        "quizzes/admin/confirm_duplicate.html",
        {"quiz": quiz, "page_title": _("Duplicate quiz"), "header_icon": "copy"},
    )


@require_permission("quizzes.view_quizsession")
def projector(request, pk: int):
    session = get_object_or_404(QuizSession.objects.select_related("quiz"), pk=pk)
    return render(
        request,
        "quizzes/admin/projector.html",
        {
            "session": session,
            "qr": qr.svg(absolute_url(session.path)),
            "short_url": short_url(session.path),
            "count": attempt_count(session),
            "is_open": session.state() == "open",
        },
    )


@require_permission("quizzes.view_results")
def results_index(request):
    form = ResultsFilterForm(request.GET or None)
    filters = form.filters()
    attempts = attempts_in(**filters)
    return render(
        request,
        "quizzes/admin/results_index.html",
        {
            "page_title": _("Quiz results"),
            "header_icon": "table",
            "form": form,
            "figures": attempt_figures(attempts),
            "prepost": prepost_figures(attempts),
            "schools": school_figures(attempts),
            "sessions": session_list(**filters),
        },
    )


@require_permission("quizzes.view_results")
def session_results(request, pk: int):
    session = get_object_or_404(
        QuizSession.objects.select_related("quiz", "school", "visit__campaign"), pk=pk
    )
    attempts = attempts_in(session=session)
    prepost = None
    if session.visit_id and session.kind != SessionKind.STANDALONE:
        prepost = prepost_figures(attempts_in(visit=session.visit))
    return render(
        request,
        "quizzes/admin/session_results.html",
        {
            "page_title": _("Results of session %(code)s") % {"code": session.code},
            "header_icon": "table",
            "session": session,
            "figures": attempt_figures(attempts),
            "questions": question_figures(attempts),
            "prepost": prepost,
            "schools": school_figures(attempts) if session.is_public else None,
            "tools": [
                tool for tool in session_tools(session, request.user) if tool.url != request.path
            ],
            "teacher_link": _teacher_link_panel(request.user, session),
        },
    )


# The teacher link shows the students' names to whoever holds it: handing one out takes
# both changing the session and seeing names (Admin Dinas, Staf Sosialisasi).
TEACHER_LINK_PERMISSIONS = ("quizzes.change_quizsession", "quizzes.view_attempt")


def _teacher_link_panel(user, session: QuizSession) -> dict | None:
    """What quizzes/admin/teacher_link.html shows, or None for a user who may not
    manage the link."""
    if not user.has_perms(TEACHER_LINK_PERMISSIONS):
        return None
    link = teacher_link_live(session)
    return {"link": link, "url": absolute_url(link.path) if link else ""}


@require_permission(TEACHER_LINK_PERMISSIONS[1])
@require_permission(TEACHER_LINK_PERMISSIONS[0])
@require_POST
def teacher_link_new(request, pk: int):
    session = get_object_or_404(QuizSession, pk=pk)
    replaces = teacher_link_live(session) is not None
    teacher_link_create(session=session, created_by=request.user)
    if replaces:
        messages.success(request, _("New teacher link made: the previous one no longer works."))
    else:
        messages.success(request, _("Teacher link made."))
    return redirect(reverse("quizzes_admin:session_results", args=[pk]) + "#tautan-guru")


@require_permission(TEACHER_LINK_PERMISSIONS[1])
@require_permission(TEACHER_LINK_PERMISSIONS[0])
@require_POST
def teacher_link_revoke_view(request, pk: int):
    session = get_object_or_404(QuizSession, pk=pk)
    teacher_link_revoke(session=session)
    messages.success(request, _("Teacher link revoked: its address no longer works."))
    return redirect(reverse("quizzes_admin:session_results", args=[pk]) + "#tautan-guru")


@require_permission("quizzes.view_results")
def school_results(request, pk: int):
    school = school_by_id(pk)
    if school is None:
        raise Http404
    attempts = attempts_in(school=school)
    return render(
        request,
        "quizzes/admin/school_results.html",
        {
            "page_title": _("Quiz results: %(school)s") % {"school": school.name},
            "header_icon": "table",
            "school": school,
            "figures": attempt_figures(attempts),
            "questions": question_figures(attempts),
            "prepost": prepost_figures(attempts),
            # Sessions some of whose students are from this school (figures: whole session).
            "sessions": session_list().filter(pk__in=attempts.values("session_id")),
        },
    )


def export_rows(session: QuizSession) -> Iterable[list]:
    """The session's attempts as spreadsheet rows, formula-safe, header first."""
    questions = quiz_questions(session.quiz)
    yield [
        with_zone(_("Submitted (%(zone)s)")), _("School"), _("Class"), _("Gender"), _("Name"),
        _("Correct"), _("Questions"), _("Score (%)"), _("Passed"), _("Certificate"),
        *(_("Q%(number)d") % {"number": n} for n in range(1, len(questions) + 1)),
    ]  # fmt: skip
    genders = dict(Gender.choices)
    for attempt in session_attempts(session):
        answers = {answer.question_id: answer.is_correct for answer in attempt.answers.all()}
        certificate = getattr(attempt, "certificate", None)
        row = [
            local(attempt.submitted_at).strftime("%Y-%m-%d %H:%M"),
            attempt.school.name if attempt.school else "",
            attempt.class_name,
            str(genders.get(attempt.gender, "")),
            attempt.name,
            attempt.correct_count,
            attempt.question_count,
            attempt.score,
            _("yes") if attempt.passed else _("no"),
            certificate.display_code if certificate else "",
            *(
                "" if question.pk not in answers else int(answers[question.pk])
                for question in questions
            ),
        ]
        yield row


@require_permission("quizzes.view_attempt")
def export_csv(request, pk: int):
    session = get_object_or_404(QuizSession.objects.select_related("quiz"), pk=pk)
    return csv_response(export_rows(session), filename=f"hasil-{session.code}.csv")


@require_permission("quizzes.view_attempt")
def export_xlsx(request, pk: int):
    session = get_object_or_404(QuizSession.objects.select_related("quiz"), pk=pk)
    return xlsx_response(
        [(session.code, export_rows(session))], filename=f"hasil-{session.code}.xlsx"
    )


@require_permission("quizzes.view_attempt")
def certificates_pdf(request, pk: int):
    session = get_object_or_404(QuizSession, pk=pk)
    certificates = list(session_certificates(session))
    if not certificates:
        messages.warning(request, _("This session has no certificate to print yet."))
        return redirect("quizzes_admin:session_results", session.pk)
    writer = PdfWriter()
    for certificate in certificates:
        with certificate.file.open("rb") as pdf:
            writer.append(io.BytesIO(pdf.read()))
    buffer = io.BytesIO()
    writer.write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{session.code}.pdf"'
    return response
