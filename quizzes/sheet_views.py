"""Staff screens for paper answer sheets: print them, upload photos or scans, follow
the reading, review what was flagged and type names, or type a class's answers.

Printing takes quizzes.change_quizsession; everything that shows or records a child's
sheet also takes quizzes.view_attempt (Admin Dinas, Staf Sosialisasi)."""

import re
import secrets

import cv2
import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from cms.admin_refusals import require_permission
from quizzes.models import QuizSession
from quizzes.selectors import quiz_questions
from quizzes.sheet_forms import GridFormSet, PageReviewForm, PrintForm, SheetNamesForm
from quizzes.sheets import jobs
from quizzes.sheets.drawing import question_sheet_pdf, sheets_pdf
from quizzes.sheets.layout import LayoutError
from quizzes.sheets.models import BatchStatus, PageStatus, SheetBatch, SheetPage
from quizzes.sheets.reading import crop
from quizzes.sheets.records import (
    MAX_SHEETS_PER_PRINT,
    flag_message,
    session_sheet_spec,
    sheet_number_recorded,
    sheet_page_confirm,
    sheet_page_name,
    sheets_allocate,
    typed_sheets_record,
)

PRINT = "quizzes.change_quizsession"
READ = "quizzes.view_attempt"
DEFAULT_CLASS_SIZE = 30
# The typed grid's token as sheets_grid makes it (secrets.token_hex(8)): its rows'
# attempt tokens, "grid-<token>-<row>", must fit Attempt.token.
GRID_TOKEN = re.compile(r"[0-9a-f]{1,16}")


def _session(pk: int) -> QuizSession:
    return get_object_or_404(QuizSession.objects.select_related("quiz", "visit"), pk=pk)


def _page_context(session: QuizSession, title: str) -> dict:
    return {"session": session, "page_title": title, "header_icon": "doc-full"}


@require_permission(PRINT)
def sheets_print(request, pk: int):
    """GET: how many sheets; POST: the PDF of the next numbers."""
    session = _session(pk)
    expected = session.visit.expected_participants if session.visit_id else None
    initial = min(expected or DEFAULT_CLASS_SIZE, MAX_SHEETS_PER_PRINT)
    form = PrintForm(request.POST or None, initial={"jumlah": initial})
    problem = ""
    try:
        spec = session_sheet_spec(session)
    except LayoutError as error:
        spec, problem = None, str(error)
    if request.method == "POST" and spec and form.is_valid():
        numbers = sheets_allocate(session=session, count=form.cleaned_data["jumlah"])
        pdf = sheets_pdf(spec=spec, session=session, numbers=numbers)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"lembar-jawaban-{session.code}-{numbers[0]}-{numbers[-1]}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = _page_context(session, _("Answer sheets %(code)s") % {"code": session.code})
    context.update(form=form, problem=problem, may_read=request.user.has_perm(READ))
    return render(request, "quizzes/sheets/admin/print.html", context)


@require_permission(PRINT)
def question_sheet(request, pk: int):
    session = _session(pk)
    pdf = question_sheet_pdf(session=session)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lembar-soal-{session.code}.pdf"'
    return response


@require_permission(READ)
@require_permission(PRINT)
def sheets_upload(request, pk: int):
    session = _session(pk)
    errors = []
    if request.method == "POST":
        try:
            batch = jobs.sheet_batch_create(
                session=session, uploads=request.FILES.getlist("berkas"), created_by=request.user
            )
        except (ValidationError, LayoutError) as error:
            errors = getattr(error, "messages", [str(error)])
        else:
            return redirect("quizzes_admin:sheet_batch", batch.pk)
    context = _page_context(session, _("Upload answer sheets %(code)s") % {"code": session.code})
    context.update(
        errors=errors,
        batches=session.sheet_batches.all()[:20],
        max_files=jobs.MAX_FILES,
        max_pdf_pages=jobs.MAX_PDF_PAGES,
    )
    return render(
        request, "quizzes/sheets/admin/upload.html", context, status=400 if errors else 200
    )


def _batch(pk: int) -> SheetBatch:
    return get_object_or_404(SheetBatch.objects.select_related("session__quiz"), pk=pk)


@require_permission(READ)
@require_permission(PRINT)
def sheet_batch(request, pk: int):
    """The reading's progress (reloading itself, no JavaScript), then every page: the
    flagged ones to review, the refused ones with their reason, names to type."""
    return _batch_page(request, _batch(pk))


def _to_name(pages) -> list[SheetPage]:
    """The recorded pages whose sheet has no name yet, and a name box to read it from."""
    return [
        page
        for page in pages
        if page.status == PageStatus.RECORDED
        and page.attempt
        and not page.attempt.name
        and page.image
        and not page.attempt.name_erased_at
    ]  # fmt: skip


def _batch_page(request, batch: SheetBatch, names_form: SheetNamesForm | None = None):
    pages = list(batch.pages.select_related("session", "attempt"))
    for page in pages:
        page.messages = [flag_message(flag) for flag in page.flags]
    to_name = _to_name(pages)
    if names_form:  # as typed, less a page named meanwhile in another tab
        to_name = [page for page in to_name if f"nama-{page.pk}" in names_form.fields]
    else:
        names_form = SheetNamesForm(pages=to_name)
    for page in to_name:
        page.name_field = names_form[f"nama-{page.pk}"]
    reading = batch.status in (BatchStatus.PENDING, BatchStatus.READING)
    context = _page_context(batch.session, _("Answer sheets read"))
    context.update(
        batch=batch,
        reading=reading,
        flagged=[page for page in pages if page.status == PageStatus.FLAGGED],
        refused=[page for page in pages if page.status == PageStatus.REFUSED],
        to_name=to_name,
        counts={status.label: sum(p.status == status for p in pages) for status in PageStatus},
    )
    status = 400 if names_form.errors else 200
    return render(request, "quizzes/sheets/admin/batch.html", context, status=status)


@require_permission(READ)
@require_permission(PRINT)
@require_POST
def sheet_names(request, pk: int):
    """Names typed from the sheets' name boxes: each passing sheet gets its certificate.
    Saved all together, or, if one is wrong, none: the page comes back as typed."""
    batch = _batch(pk)
    pages = _to_name(batch.pages.select_related("attempt"))
    form = SheetNamesForm(request.POST, pages=pages)
    if not form.is_valid():
        messages.error(request, _("No name saved yet: correct the marked names, then save again."))
        return _batch_page(request, batch, names_form=form)
    names = form.names()
    with transaction.atomic():
        for page in pages:
            if page.pk in names:
                sheet_page_name(page=page, name=names[page.pk])
    messages.success(
        request,
        ngettext("%(count)d name saved.", "%(count)d names saved.", len(names))
        % {"count": len(names)},
    )
    return redirect("quizzes_admin:sheet_batch", batch.pk)


@require_permission(READ)
@require_permission(PRINT)
def sheet_page_review(request, pk: int):
    page = get_object_or_404(SheetPage.objects.select_related("batch", "session__quiz"), pk=pk)
    if page.status != PageStatus.FLAGGED:
        return redirect("quizzes_admin:sheet_batch", page.batch_id)
    questions = quiz_questions(page.session.quiz)
    doubted = {flag["question"] for flag in page.flags if flag["question"]}
    form = PageReviewForm(
        request.POST or None,
        questions=questions,
        read=page.answers,
        doubted=doubted,
        initial={"kelas": f"{page.grade}{page.parallel}", "jenis_kelamin": page.gender},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            confirmed = sheet_page_confirm(
                page=page, answers=form.answers(), class_name=data["kelas"],
                gender=data["jenis_kelamin"], name=data["nama"], user=request.user,
            )  # fmt: skip
        if confirmed.status == PageStatus.FLAGGED:
            # Not recorded: the form stays as staff typed it, saying why and what next.
            page.flags = confirmed.flags
            form.add_error(None, _not_recorded(confirmed.flags[-1]))
        else:
            if confirmed.status == PageStatus.DUPLICATE:
                messages.warning(
                    request, _("This sheet is already recorded from another photo: it counts once.")
                )
            else:
                messages.success(
                    request, _("Sheet no. %(number)s recorded.") % {"number": page.number}
                )
            return redirect("quizzes_admin:sheet_batch", page.batch_id)
    flagged = {flag["question"]: flag_message(flag) for flag in page.flags if flag["question"]}
    general = [flag_message(flag) for flag in page.flags if not flag["question"]]
    if not any(flag["kind"] == "conflict" for flag in page.flags) and sheet_number_recorded(
        page=page
    ):
        # Said before staff type, not only once they confirm other answers.
        general.append(
            _(
                "Sheet no. %(number)s is already recorded, from another photo or typed. "
                "Confirmed with the same answers, class and gender, it counts once; with "
                "others, you will be asked whether it is another child's sheet."
            )
            % {"number": page.number}
        )
    context = _page_context(page.session, _("Check sheet no. %(number)s") % {"number": page.number})
    context.update(
        page=page,
        form=form,
        rows=[
            (
                reverse("quizzes_admin:sheet_page_crop", args=[page.pk, f"q{number}"]),
                field,
                flagged.get(number, ""),
            )
            for number, field in form.question_fields()
        ],  # fmt: skip
        general=general,
    )
    return render(request, "quizzes/sheets/admin/review.html", context)


def _not_recorded(flag: dict) -> str:
    """Why a confirmed page is still not recorded (its last flag), and what to do."""
    if flag["kind"] == "conflict":
        # sheet_page_confirm records the next confirmation as another child's sheet.
        return _(
            "Not recorded yet: a sheet with this number is already recorded with other "
            "answers. Check the answers; if this is another child's sheet (a photocopy), "
            "press “Confirm and record” again to record it as a sheet of its own."
        )
    return flag_message(flag)


@require_permission(READ)
@require_permission(PRINT)
def sheet_page_crop(request, pk: int, part: str):
    """Part of a read page as PNG: "nama" (the name box), "kelas" (class and gender),
    or "q<number>" (a question's row)."""
    page = get_object_or_404(SheetPage.objects.select_related("session__quiz"), pk=pk)
    if not page.image or page.session is None:
        raise Http404
    layout = session_sheet_spec(page.session).layout
    boxes = {"nama": layout.name_box, "kelas": layout.grade_row, "rombel": layout.parallel_row}
    boxes.update({f"q{row.question}": row.box for row in layout.rows})
    if part not in boxes:
        raise Http404
    with page.image.open("rb") as stream:
        image = cv2.imdecode(np.frombuffer(stream.read(), np.uint8), cv2.IMREAD_GRAYSCALE)
    png = cv2.imencode(".png", crop(image, boxes[part]))[1].tobytes()
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_permission(READ)
@require_permission(PRINT)
def sheets_grid(request, pk: int):
    """A class's answers typed by hand, one row per sheet: for when no scan is possible.
    The grid is recorded whole, or, if a row is wrong, not at all and shown again as
    typed with each row's problem."""
    session = _session(pk)
    token = request.POST.get("token", "")
    formset = GridFormSet(request.POST or None)
    if request.method == "POST" and not GRID_TOKEN.fullmatch(token):
        # A tampered form: refused, the rows shown as typed under a new token.
        token = secrets.token_hex(8)
        messages.error(
            request,
            _("This grid's form was damaged: nothing recorded. Check the rows, then "
              "press “Record” again."),
        )  # fmt: skip
    elif request.method == "POST" and formset.is_valid():
        try:
            recorded, before = typed_sheets_record(
                session=session, token=token, rows=[row.cleaned_data for row in formset.forms]
            )
        except ValidationError as error:
            for index, problems in error.message_dict.items():
                formset.forms[int(index)].add_error("jawaban", problems)
            messages.error(
                request,
                _("Nothing recorded yet: correct the marked rows, then press “Record” again."),
            )
        else:
            text = ngettext("%(count)d sheet recorded.", "%(count)d sheets recorded.", recorded) % {
                "count": recorded
            }
            if before:
                text += " " + ngettext(
                    "%(count)d sheet already recorded: counted once.",
                    "%(count)d sheets already recorded: counted once.",
                    before,
                ) % {"count": before}
            messages.success(request, text)
            return redirect("quizzes_admin:session_results", session.pk)
    context = _page_context(session, _("Type answers %(code)s") % {"code": session.code})
    context.update(
        formset=formset,
        token=token or secrets.token_hex(8),
        questions=len(quiz_questions(session.quiz)),
    )
    return render(request, "quizzes/sheets/admin/grid.html", context)
