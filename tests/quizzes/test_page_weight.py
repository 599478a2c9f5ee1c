"""Student pages stay tiny for cheap phones: at most 25 KB of HTML + CSS, no script,
no web font, nothing from another host, tap targets of at least 44 px."""

import re

import pytest
from django.test import Client

from quizzes import demo
from quizzes.models import Certificate, Quiz
from tests.cms.test_page_weight import stylesheet_bytes
from tests.quizzes.conftest import form_token
from tests.quizzes.factories import answers_for
from tests.schools.factories import DistrictFactory, SchoolFactory

PAGE_BUDGET = 25 * 1024


@pytest.fixture
def pages(public_site, django_capture_on_commit_callbacks):
    """The demo quiz (8 questions) as a public session, with a district's worth of
    schools to choose from, and a passed attempt with a long name."""
    districts = [DistrictFactory(name=name) for name in ("Penajam", "Waru", "Babulu", "Sepaku")]
    for n in range(60):
        SchoolFactory(name=f"SMP Negeri {n} Penajam Paser Utara", district=districts[n % 4])
    demo.seed()
    quiz = Quiz.objects.get(title=demo.QUIZZES[0]["title"])
    client, next_phone = Client(), Client()
    form = client.get("/q/DEMO/")
    data = {"token": form_token(form), "kelas": "9A", "nama": "R" * 80, "sekolah": "lain"}
    data.update(answers_for(quiz, right=6))
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post("/q/DEMO/", data)["Location"]
    invalid = dict(data, token=form_token(next_phone.get("/q/DEMO/")), kelas="")
    return {
        "form": next_phone.get("/q/DEMO/"),
        "form with errors": next_phone.post("/q/DEMO/", invalid),
        "result": client.get(result),
        "verify": client.get(f"/v/{Certificate.objects.get().code}/"),
        "unknown": client.get("/q/TIDAKADA/"),
    }


@pytest.mark.parametrize("name", ["form", "form with errors", "result", "verify", "unknown"])
def test_student_page_is_small_and_self_contained(pages, name):
    response = pages[name]
    html = response.content.decode()
    weight = len(response.content) + stylesheet_bytes(html)
    assert weight <= PAGE_BUDGET, f"{name} weighs {weight} bytes"
    assert "<script" not in html and "@font-face" not in html and " style=" not in html
    for asset in re.findall(r'<(?:link|img|source)[^>]+(?:href|src)="([^"]+)"', html):
        assert asset.startswith(("/", "data:")), asset
    assert 'href="tel:129"' in html  # SAPA 129 on every student page
    assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in html


def test_choices_and_buttons_are_big_enough_to_tap():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_text()
    assert re.search(r"\.choice\{[^}]*min-height:44px", css)
    assert re.search(r"\.button,button\{[^}]*min-height:44px", css)
    assert re.search(r"input,select,textarea\{[^}]*min-height:44px", css)
