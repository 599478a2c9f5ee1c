"""Paper answer sheets, printed by the real renderer, filled, photographed and read
back: what is plainly filled becomes a paper attempt, anything in doubt waits for
staff with a clear reason, and nothing is read wrong in silence."""

import json
from types import SimpleNamespace

import cv2
import numpy as np
import pypdfium2
import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Attempt, AttemptSource, Option, SheetPage
from quizzes.sheets.models import PageStatus
from quizzes.sheets.records import sheet_page_confirm, sheets_allocate
from tests.quizzes.sheet_images import as_photo, erase, fill, png, print_sheets

pytestmark = pytest.mark.django_db

RIGHT = {1: "B", 2: "AB", 3: "B"}


@pytest.fixture
def printed(session):
    """Three sheets printed for the session (numbers 1 to 3)."""
    numbers = sheets_allocate(session=session, count=3)
    return print_sheets(session, numbers)


def read(tmp_path, capsys, images: dict, *args) -> list[dict]:
    """Run read_answer_sheets --json on `images` ({file name: bytes})."""
    paths = []
    for name, data in images.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    call_command("read_answer_sheets", *paths, "--json", *args)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def messages(page: dict) -> list[str]:
    return [flag["message"] for flag in page["flags"]]


def photo(image, seed=3) -> bytes:
    return as_photo(image.copy(), np.random.default_rng(seed))


def test_a_filled_sheet_photographed_is_a_paper_attempt(session, printed, tmp_path, capsys):
    fill(printed[0], session, answers=RIGHT, grade="5", parallel="B", gender="p")
    (page,) = read(tmp_path, capsys, {"kelas5b.jpg": photo(printed[0])}, "--session", session.code)
    assert page["status"] == "recorded", messages(page)
    assert (page["session"], page["number"]) == (session.code, 1)
    assert page["answers"] == {"1": ["B"], "2": ["A", "B"], "3": ["B"]}
    attempt = Attempt.objects.get()
    assert attempt.source == AttemptSource.PAPER
    assert (attempt.score, attempt.passed, attempt.class_name, attempt.gender) == (
        100,
        True,
        "5B",
        "p",
    )


def test_a_scan_and_a_photo_of_one_sheet_record_one_attempt(session, printed, tmp_path, capsys):
    fill(printed[1], session, answers={1: "A", 2: "C", 3: "A"}, grade="4")
    pages = read(tmp_path, capsys, {"scan.png": png(printed[1]), "foto.jpg": photo(printed[1])})
    assert [page["status"] for page in pages] == ["recorded", "duplicate"], [
        messages(p) for p in pages
    ]
    attempt = Attempt.objects.get()
    assert (attempt.score, attempt.class_name) == (0, "4")


def test_doubtful_bubbles_are_flagged_never_guessed(session, printed, tmp_path, capsys):
    two, half, blank = printed
    fill(two, session, answers={1: "AB", 2: "AB", 3: "B"}, grade="5")
    fill(half, session, answers={2: "AB", 3: "B"}, grade="5")
    fill(half, session, answers={1: "B"}, coverage=0.3)  # a band across, not filled
    fill(blank, session, answers={1: "B", 2: "AB"}, grade="5")
    pages = read(tmp_path, capsys, {"a.png": png(two), "b.png": png(half), "c.png": png(blank)})
    assert [page["status"] for page in pages] == ["flagged"] * 3
    assert messages(pages[0]) == ["Soal 1: lebih dari satu bulatan terisi."]
    assert messages(pages[1]) == ["Soal 1: ada bulatan setengah terisi atau bekas hapusan."]
    assert messages(pages[2]) == ["Soal 3: tidak ada bulatan terisi."]
    assert not Attempt.objects.exists()


def test_a_cleanly_erased_mark_is_empty_a_smudge_is_flagged(session, printed, tmp_path, capsys):
    clean, smudged = printed[:2]
    layout_bubble = _bubble(session, question=1, value="A")
    rng = np.random.default_rng(1)
    erase(clean, layout_bubble, rng)
    fill(clean, session, answers=RIGHT, grade="6")
    fill(smudged, session, answers=RIGHT, grade="6")
    fill(smudged, session, answers={1: "A"}, coverage=0.6)
    smudged[:] = _rub_out(smudged, layout_bubble)
    pages = read(tmp_path, capsys, {"a.png": png(clean), "b.png": png(smudged)})
    assert pages[0]["status"] == "recorded" and pages[0]["answers"]["1"] == ["B"]
    assert messages(pages[1]) == ["Soal 1: ada bulatan setengah terisi atau bekas hapusan."]


def test_pages_that_are_no_sheet_are_refused_with_the_reason(session, printed, tmp_path, capsys):
    fill(printed[0], session, answers=RIGHT, grade="5")
    height = printed[0].shape[0]
    cut_off = printed[0][: height * 2 // 3]
    blurred = cv2.GaussianBlur(printed[0], (0, 0), 5)  # 0.6 mm: the QR code is lost
    blank = np.full((1600, 1200), 235, np.uint8)
    pages = read(
        tmp_path, capsys,
        {"cut.png": png(cut_off), "blur.png": png(blurred), "blank.png": png(blank),
         "not-an-image.jpg": b"this is text"},
        "--session", session.code,
    )  # fmt: skip
    assert [page["status"] for page in pages] == ["refused"] * 4
    assert messages(pages[0])[0].startswith("Keempat penanda hitam di sudut lembar tidak terlihat")
    assert messages(pages[1]) == ["Foto buram: foto ulang dengan kamera diam dan cahaya cukup."]
    assert messages(pages[2])[0].startswith("Keempat penanda")
    assert messages(pages[3]) == [
        "Berkas ini tidak dapat dibaca sebagai foto: rusak, atau lebih dari 16 megapiksel."
    ]


def test_a_page_curled_between_its_markers_is_refused_not_read_a_row_off(
    session, printed, tmp_path, capsys
):
    fill(printed[0], session, answers=RIGHT, grade="5")
    height, width = printed[0].shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    # The middle of the page bulges 2.5 mm; the corners with the markers stay put.
    curled = cv2.remap(printed[0], xs, ys + 20 * np.sin(np.pi * xs / width), cv2.INTER_LINEAR,
                       borderValue=255)  # fmt: skip
    (page,) = read(tmp_path, capsys, {"a.png": png(curled)})
    assert page["status"] == "refused" and page["answers"] == {}
    assert messages(page) == [
        "Bulatan tidak tepat di tempatnya: lembar terlipat atau melengkung, atau cetakannya "
        "pudar. Ratakan lalu foto ulang."
    ]


def test_a_sheet_printed_before_the_quiz_changed_is_refused(
    session, printed, quiz, tmp_path, capsys
):
    fill(printed[0], session, answers=RIGHT, grade="5")
    first = quiz.questions.first()
    Option.objects.create(question=first, text="Bermain", is_correct=False, sort_order=-1)
    quiz.save()  # the admin saves the quiz with its questions
    (page,) = read(tmp_path, capsys, {"a.png": png(printed[0])})
    assert page["status"] == "refused" and not Attempt.objects.exists()
    assert messages(page) == [
        "Soal kuis diubah sesudah lembar ini dicetak, jadi jawabannya tidak dapat dicocokkan: "
        "ketik jawabannya di tabel."
    ]


def test_sheets_never_printed_or_of_no_session_are_refused(session, printed, tmp_path, capsys):
    (beyond,) = print_sheets(session, range(4, 5))  # only 1 to 3 were printed
    stranger = SimpleNamespace(code="ZZZZ99", quiz=session.quiz)
    (unknown,) = print_sheets(stranger, range(1, 2))
    for image in (beyond, unknown):
        fill(image, session, answers=RIGHT, grade="5")
    pages = read(tmp_path, capsys, {"a.png": png(beyond), "b.png": png(unknown)},
                 "--session", session.code)  # fmt: skip
    assert messages(pages[0]) == ["Lembar no. 4 tidak pernah dicetak untuk sesi ini."]
    assert messages(pages[1]) == ["Kode sesi ZZZZ99 tidak ada."]
    assert not Attempt.objects.exists()


def test_a_sheet_of_another_session_waits_for_review(session, printed, quiz, tmp_path, capsys):
    from tests.quizzes.factories import QuizSessionFactory

    other = QuizSessionFactory(quiz=quiz)
    fill(printed[0], session, answers=RIGHT, grade="5")
    (tmp_path / "a.png").write_bytes(png(printed[0]))
    call_command("read_answer_sheets", str(tmp_path / "a.png"), "--session", other.code)
    page = SheetPage.objects.get()
    assert page.status == PageStatus.FLAGGED
    assert page.flags[0]["kind"] == "other_session"


def test_dry_run_records_nothing(session, printed, tmp_path, capsys):
    fill(printed[0], session, answers=RIGHT, grade="5")
    (page,) = read(tmp_path, capsys, {"a.png": png(printed[0])}, "--dry-run")
    assert page["answers"] == {"1": ["B"], "2": ["A", "B"], "3": ["B"]}
    assert not Attempt.objects.exists() and not SheetPage.objects.exists()


def test_printing_takes_the_next_numbers(session, tmp_path):
    out = tmp_path / "lembar.pdf"
    call_command("answer_sheets", session.code, "--count", "2", "--out", str(out))
    call_command("answer_sheets", session.code, "--count", "3", "--out", str(out))
    assert len(pypdfium2.PdfDocument(out.read_bytes())) == 3
    session.refresh_from_db()
    assert session.sheets_printed == 5
    with pytest.raises(CommandError, match="Sesi NOPE tidak ada"):
        call_command("answer_sheets", "NOPE", "--out", str(out))


def test_the_layout_as_json(session, capsys):
    call_command("answer_sheet_layout", session.code)
    layout = json.loads(capsys.readouterr().out)
    assert layout["page"] == {"width": 210.0, "height": 297.0}
    (sheet,) = layout["sheets"]
    assert [marker["id"] for marker in sheet["markers"]] == [0, 1, 2, 3]
    answers = [b for b in sheet["bubbles"] if b["group"] == "answer"]
    assert [(b["question"], b["value"]) for b in answers] == [
        (1, "A"), (1, "B"), (1, "C"), (2, "A"), (2, "B"), (2, "C"), (3, "A"), (3, "B")
    ]  # fmt: skip
    assert {"x", "y", "diameter"} <= set(answers[0])
    assert {"x", "y", "width", "height"} <= set(sheet["name_box"]) and sheet["qr"]


def _bubble(session, *, question, value):
    from quizzes.sheets.records import session_sheet_spec

    layout = session_sheet_spec(session).layout
    return next(b for b in layout.question_bubbles(question) if b.value == value)


def _rub_out(image, bubble):
    """A mark rubbed out badly: lightened to a grey smudge, still plainly there."""
    from bench.answer_sheets import PX_PER_MM

    x, y, r = (round(v * PX_PER_MM) for v in (bubble.x, bubble.y, bubble.diameter / 2))
    patch = image[y - r : y + r, x - r : x + r].astype(np.float32)
    image[y - r : y + r, x - r : x + r] = (255 - (255 - patch) * 0.45).astype(np.uint8)
    return image


def test_a_photocopied_sheet_with_other_answers_is_flagged_not_lost(
    session, printed, tmp_path, capsys
):
    original, copy = printed[0], printed[0].copy()
    fill(original, session, answers=RIGHT, grade="5")
    fill(copy, session, answers={1: "A", 2: "C", 3: "A"}, grade="5")
    pages = read(tmp_path, capsys, {"a.png": png(original), "b.png": png(copy)})
    assert [page["status"] for page in pages] == ["recorded", "flagged"]
    assert messages(pages[1]) == [
        "Lembar dengan nomor ini sudah tercatat dengan jawaban lain: mungkin lembar "
        "difotokopi. Jika ini lembar anak lain, periksa lalu konfirmasi."
    ]
    page = SheetPage.objects.get(status=PageStatus.FLAGGED)
    sheet_page_confirm(page=page, answers=page.answers, class_name="5", gender="", name="",
                       user=None)  # fmt: skip
    assert sorted(Attempt.objects.values_list("score", flat=True)) == [0, 100]
