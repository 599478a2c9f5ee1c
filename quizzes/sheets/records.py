"""What was read from a page becomes an attempt, or waits for staff.

A clean page is recorded at once as a paper attempt. Anything the reader flagged (or a
sheet of another session than the upload's) waits in the review screen until staff
confirm its answers. A page that cannot be a sheet of this district (no markers, no
readable QR code, an unknown session, a number never printed) is refused with its
reason. Each sheet's token is made of its session and number, so a sheet read twice,
or confirmed after another photo of it was recorded, is one attempt.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from quizzes.models import Attempt, AttemptSource, QuizSession
from quizzes.selectors import quiz_questions
from quizzes.services import SessionFull, attempt_name_set, attempt_submit
from quizzes.sheets.layout import OPTION_LETTERS, SheetSpec, sheet_layout
from quizzes.sheets.models import PageStatus, SheetBatch, SheetPage
from quizzes.sheets.reading import PageRead

# The flags a page is refused for: there is no sheet to confirm.
REFUSING = {
    "quiz_changed",
    "unreadable",
    "markers",
    "bent",
    "blurred",
    "qr",
    "unknown_session",
    "not_printed",
}


def flag_message(flag: dict) -> str:
    """A flag as staff read it."""
    question, detail = flag.get("question"), flag.get("detail", "")
    messages = {
        "unreadable": _(
            "This file cannot be read as a photo: it is damaged, or larger than %(max)d megapixels."
        ) % {"max": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 10**6},
        "markers": _(
            "Not all four black markers in the sheet's corners are visible (%(found)s seen): "
            "photograph the whole sheet again."
        ) % {"found": detail or "0"},
        "bent": _(
            "The bubbles are not where they should be: the sheet is folded or curled, or "
            "its print is faint. Flatten it, then photograph it again."
        ),
        "blurred": _(
            "Blurred photo: photograph it again with the camera held still and enough light."
        ),
        "qr": _(
            "The sheet's QR code cannot be read: photograph it again, or type its answers "
            "in the grid."
        ),
        "unknown_session": _("There is no session with the code %(code)s.") % {"code": detail},
        "quiz_changed": _(
            "The quiz's questions changed after this sheet was printed, so its answers cannot "
            "be matched: type them in the grid."
        ),
        "not_printed": _("Sheet no. %(number)s was never printed for this session.")
        % {"number": detail},
        "other_session": _("This sheet belongs to another session (%(code)s).") % {"code": detail},
        "unsure": _("Question %(question)s: a bubble is half filled, or has marks of erasing.")
        % {"question": question},
        "several": _("Question %(question)s: more than one bubble filled.")
        % {"question": question},
        "blank": _("Question %(question)s: no bubble filled.") % {"question": question},
        "grade": _("The class cannot be read: not filled in, more than one, or faint."),
        "parallel": _("The section cannot be read: more than one, or faint."),
        "gender": _("The gender cannot be read: more than one, or faint."),
        "full": _("The session has reached its maximum number of attempts."),
        "conflict": _(
            "A sheet with this number is already recorded with other answers: perhaps the "
            "sheet was photocopied. If this is another child's sheet, check it, then confirm."
        ),
    }  # fmt: skip
    return messages.get(flag["kind"], flag["kind"])


def session_sheet_spec(session: QuizSession) -> SheetSpec:
    """The sheet of a session's quiz: its layout, and the questions of several answers.
    Raises LayoutError for a quiz that does not fit on a sheet."""
    questions = quiz_questions(session.quiz)
    layout = sheet_layout([len(question.options.all()) for question in questions])
    multiple = frozenset(
        number for number, question in enumerate(questions, start=1) if question.kind == "multiple"
    )
    return SheetSpec(layout, multiple, quiz_version(questions))


def quiz_version(questions) -> str:
    """A short fingerprint of the questions and options in order, with their kinds: a
    sheet printed before they changed (an option added, removed or moved) would be read
    against the wrong options, so the reader refuses it."""
    shape = [(q.pk, q.kind, [o.pk for o in q.options.all()]) for q in questions]
    # Four capitals and digits: with the code and number, the QR code stays in its
    # alphanumeric mode and smallest size, its modules as large as they can be.
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:4].upper()


# Sheets are drawn in the web request (sheet_views.sheets_print): 60 take about 4 s and
# 30 MB; a larger print would near the proxy's 60 s timeout with its numbers used up.
MAX_SHEETS_PER_PRINT = 60


@transaction.atomic
def sheets_allocate(*, session: QuizSession, count: int) -> range:
    """The numbers of `count` new sheets for the session: after every sheet printed
    before, so that no two sheets of a session ever share a number."""
    if not 1 <= count <= MAX_SHEETS_PER_PRINT:
        raise ValidationError(
            _("Print 1 to %(max)d sheets at a time.") % {"max": MAX_SHEETS_PER_PRINT}
        )
    session_sheet_spec(session)  # refuses a quiz that does not fit before counting
    locked = QuizSession.objects.select_for_update().get(pk=session.pk)
    first = locked.sheets_printed + 1
    locked.sheets_printed += count
    locked.save(update_fields=["sheets_printed"])
    session.sheets_printed = locked.sheets_printed
    return range(first, first + count)


def sheet_token(session: QuizSession, number: int) -> str:
    return f"paper-{session.pk}-{number}"


def answers_to_options(session: QuizSession, answers: dict) -> dict[int, list[int]]:
    """{"1": ["A"]} as attempt_submit takes answers: {question id: [option ids]}."""
    questions = quiz_questions(session.quiz)
    chosen = {}
    for number, question in enumerate(questions, start=1):
        options = list(question.options.all())
        letters = answers.get(str(number), [])
        chosen[question.pk] = [options[OPTION_LETTERS.index(letter)].pk for letter in letters]
    return chosen


def _flags(read: PageRead) -> list[dict]:
    return [{"kind": f.kind, "question": f.question, "detail": f.detail} for f in read.flags]


def sheet_page_record(
    *, batch: SheetBatch, file_name: str, page: int, read: PageRead, image_jpeg: bytes | None
) -> SheetPage:
    """Keep what was read from a page, and record it as an attempt if nothing is in
    doubt."""
    row = SheetPage(
        batch=batch,
        file_name=file_name[:255],
        page=page,
        number=read.number,
        answers={str(question): letters for question, letters in read.answers.items()},
        grade=read.grade,
        parallel=read.parallel,
        gender=read.gender,
        flags=_flags(read),
    )
    if read.code:
        row.session = QuizSession.objects.filter(code__iexact=read.code).first()
        if row.session is None:
            row.flags = [{"kind": "unknown_session", "question": None, "detail": read.code}]
        elif not 1 <= read.number <= row.session.sheets_printed:
            row.flags = [{"kind": "not_printed", "question": None, "detail": str(read.number)}]
        elif row.session.pk != batch.session_id:
            row.flags.append({"kind": "other_session", "question": None, "detail": read.code})
    if any(flag["kind"] in REFUSING for flag in row.flags):
        row.status = PageStatus.REFUSED
    elif row.flags:
        row.status = PageStatus.FLAGGED
    else:
        row.status = PageStatus.RECORDED
    if image_jpeg and row.status != PageStatus.REFUSED:
        row.image.save(f"{batch.pk}-{page}.jpg", ContentFile(image_jpeg), save=False)
    if row.status == PageStatus.RECORDED:
        _record(row)
    row.save()
    return row


def _record(row: SheetPage, class_name: str = "", token: str = "") -> None:
    """Make the page's attempt, or find the one its sheet already has: the same sheet
    read again if it says the same, else flagged ("conflict": a photocopied sheet, or
    one printed twice, carries another child's answers under the same number)."""
    session = row.session
    class_name = class_name or f"{row.grade}{row.parallel}"
    answers = answers_to_options(session, row.answers)
    try:
        attempt, created = attempt_submit(
            session=session,
            token=token or sheet_token(session, row.number),
            class_name=class_name,
            gender=row.gender,
            answers=answers,
            source=AttemptSource.PAPER,
        )
    except SessionFull:
        row.status = PageStatus.FLAGGED
        row.flags = [*row.flags, {"kind": "full", "question": None, "detail": ""}]
        return
    if created:
        row.attempt = attempt
        return
    if _same_sheet(attempt, answers=answers, class_name=class_name, gender=row.gender):
        row.attempt = attempt
        row.status = PageStatus.DUPLICATE
    else:
        row.status = PageStatus.FLAGGED
        row.flags = [*row.flags, {"kind": "conflict", "question": None, "detail": ""}]


def _same_sheet(attempt, *, answers: dict[int, list[int]], class_name: str, gender: str) -> bool:
    """Whether the attempt a sheet's number already has says what this sheet says: the
    same sheet read or typed again, not another child's under that number."""
    recorded = {answer.question_id: sorted(answer.chosen) for answer in attempt.answers.all()}
    return {pk: sorted(chosen) for pk, chosen in answers.items()} == recorded and (
        attempt.class_name.upper(),
        attempt.gender,
    ) == (class_name.upper(), gender)


@transaction.atomic
def sheet_page_confirm(
    *, page: SheetPage, answers: dict, class_name: str, gender: str, name: str, user
) -> SheetPage:
    """Staff's reading of a flagged page ({"1": ["A"], ...}): it becomes the sheet's
    attempt, or finds the one another photo of the sheet already made."""
    page = SheetPage.objects.select_for_update().get(pk=page.pk)
    if page.status != PageStatus.FLAGGED:
        return page
    page.answers, page.gender = answers, gender
    page.status = PageStatus.RECORDED
    page.confirmed_by = user
    # Staff confirming a conflict say it is another child's sheet: its own attempt.
    conflict = any(flag["kind"] == "conflict" for flag in page.flags)
    token = f"paper-{page.session_id}-{page.number}-p{page.pk}" if conflict else ""
    _record(page, class_name=class_name, token=token)
    page.save()
    if page.status == PageStatus.RECORDED:
        sheet_page_name(page=page, name=name)
    return page


def sheet_number_recorded(*, page: SheetPage) -> bool:
    """Whether the page's sheet number already has its attempt (another photo of the
    sheet, or a typed row): confirming other answers is then a conflict."""
    return bool(page.session_id and page.number) and (
        Attempt.objects.filter(token=sheet_token(page.session, page.number)).exists()
    )


def sheet_page_name(*, page: SheetPage, name: str) -> None:
    """The name staff typed from the page's name box, for its certificate."""
    if page.attempt_id and name.strip():
        attempt_name_set(attempt=page.attempt, name=name)


def typed_answers(*, session: QuizSession, letters: str) -> dict:
    """A row of the typed grid, one letter per question ("ABDA"; "-" for none; the
    letters of a question of several answers in brackets, "A(BC)D"), as
    {"1": ["A"], ...}. Raises ValidationError with what does not fit."""
    questions = quiz_questions(session.quiz)
    text = letters.upper().replace(" ", "")
    groups, index = [], 0
    while index < len(text):
        if text[index] == "(":
            end = text.find(")", index)
            if end < 0:
                raise ValidationError(_("A bracket is not closed."))
            groups.append(text[index + 1 : end])
            index = end + 1
        else:
            groups.append("" if text[index] == "-" else text[index])
            index += 1
    if len(groups) != len(questions):
        raise ValidationError(
            _("Answers typed: %(typed)d; questions: %(count)d.")
            % {"typed": len(groups), "count": len(questions)}
        )
    answers = {}
    for number, (group, question) in enumerate(zip(groups, questions, strict=True), start=1):
        allowed = OPTION_LETTERS[: len(question.options.all())]
        if any(letter not in allowed for letter in group) or len(set(group)) != len(group):
            raise ValidationError(
                _("Question %(number)d: choose from %(allowed)s.")
                % {"number": number, "allowed": ", ".join(allowed)}
            )
        if len(group) > 1 and question.kind != "multiple":
            raise ValidationError(_("Question %(number)d: only one answer.") % {"number": number})
        answers[str(number)] = sorted(group)
    return answers


def typed_sheet_record(
    *, session: QuizSession, token: str, number: int | None, answers: dict, class_name: str,
    gender: str, name: str,
) -> bool:  # fmt: skip
    """One typed row as a paper attempt: a numbered sheet by its number (so a sheet
    typed and also scanned counts once), else by the grid form's token and row. True
    if recorded now; False if this sheet was recorded before with the same answers (it
    then takes the typed name if it had none). Raises ValidationError for a number
    never printed, a full session, or a sheet recorded before with other answers."""
    if number is not None and not 1 <= number <= session.sheets_printed:
        raise ValidationError(
            _("Sheet no. %(number)s was never printed for this session.") % {"number": number}
        )
    options = answers_to_options(session, answers)
    try:
        attempt, created = attempt_submit(
            session=session,
            token=sheet_token(session, number) if number is not None else token,
            class_name=class_name,
            gender=gender,
            name=name,
            answers=options,
            source=AttemptSource.PAPER,
        )
    except SessionFull:
        raise ValidationError(flag_message({"kind": "full"})) from None
    if created:
        return True
    if not _same_sheet(attempt, answers=options, class_name=class_name, gender=gender):
        if number is None:  # the grid sent again, one of its rows changed
            raise ValidationError(
                _(
                    "This row was recorded from this grid before, with other answers. "
                    "Open the grid again to type more sheets."
                )
            )
        raise ValidationError(
            _(
                "A sheet with this number is already recorded with other answers: perhaps "
                "the sheet was photocopied. If this is another child's sheet, clear its "
                "number to record it as a sheet of its own."
            )
        )
    attempt_name_set(attempt=attempt, name=name)
    return False


@transaction.atomic
def typed_sheets_record(*, session: QuizSession, token: str, rows: list[dict]) -> tuple[int, int]:
    """The typed grid's rows (its forms' cleaned data; a row without answers is left
    out), all or none: (recorded now, recorded before). Raises ValidationError({row
    index: messages}) with every row's problem and records nothing: staff correct the
    grid and send it whole again, instead of telling rows that counted from rows to
    retype."""
    recorded = before = 0
    problems = {}
    for index, row in enumerate(rows):
        if not row.get("jawaban"):
            continue
        try:
            answers = typed_answers(session=session, letters=row["jawaban"])
            created = typed_sheet_record(
                session=session, token=f"grid-{token}-{index}", number=row.get("nomor"),
                answers=answers, class_name=row["kelas"],
                gender=row.get("jenis_kelamin", ""), name=row.get("nama", ""),
            )  # fmt: skip
        except ValidationError as error:
            problems[str(index)] = error.messages
        else:
            recorded += created
            before += not created
    if problems:
        raise ValidationError(problems)  # leaving the atomic block undoes the rows recorded
    return recorded, before
