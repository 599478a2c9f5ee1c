"""Searching the materials in Indonesian: by word roots and editors' synonyms, on SQLite
and (in CI's PostgreSQL pass) with PostgreSQL's `indonesian` configuration."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site
from wagtail.search.query import Or, PlainText

from cms.search import SearchSettings, material_query, parse_synonyms, stem_text
from tests.cms.factories import make_material


@pytest.fixture
def library(materials_index):
    """Materials as the demo words them, without topics: only their text is searched."""
    return {
        "bullying": make_material(
            materials_index,
            title="Stop Perundungan di Sekolah",
            summary="Mengenali tanda-tanda perundungan dan cara melaporkannya.",
        ),
        "violence": make_material(
            materials_index,
            title="Lindungi Anak dari Kekerasan",
            summary="Panduan untuk orang tua.",
            body="<p>Kekerasan fisik dan psikis meninggalkan luka.</p>",
        ),
        "trafficking": make_material(
            materials_index,
            title="Waspada Tawaran Kerja",
            summary="Modus perdagangan orang lewat lowongan palsu.",
        ),
        "other": make_material(materials_index, title="Cuci Tangan Pakai Sabun"),
    }


def found(client, query: str) -> list[str]:
    response = client.get("/materi/", {"q": query})
    assert response.status_code == 200
    return sorted(page.title for page in response.context["materials_page"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rundung", "bullying"),
        ("keras", "violence"),
        ("dagang", "trafficking"),
        ("bully", "bullying"),  # a synonym that ships with the setting
        ("Bullying", "bullying"),
        ("dirundung", "bullying"),
        ("kekerasan", "violence"),
        ("perdagangan orang", "trafficking"),
        ("dagang tawaran", "trafficking"),
    ],
)
def test_a_word_finds_the_materials_that_use_its_root(client, library, query, expected):
    assert found(client, query) == [library[expected].title]


@pytest.mark.parametrize("query", ["dagang rundung", "sabun keras", "xyzzy", "!!!"])
def test_every_word_must_match(client, library, query):
    assert found(client, query) == []


def test_editors_add_synonyms_that_apply_at_once(client, library):
    assert found(client, "dipukul") == []
    settings = SearchSettings.for_site(Site.objects.get(is_default_site=True))
    settings.synonyms += "pukul = kekerasan, penganiayaan\n"
    settings.full_clean()
    settings.save()
    assert found(client, "dipukul") == [library["violence"].title]


def test_a_line_that_is_not_a_synonym_is_refused_with_its_number():
    settings = SearchSettings(synonyms="bully = perundungan\nperundungan\n= kosong\n")
    with pytest.raises(ValidationError) as refused:
        settings.clean()
    assert "2" in refused.value.message_dict["synonyms"][0]
    assert parse_synonyms(settings.synonyms) == ({"bully": ["perundungan"]}, [2, 3])


def test_synonyms_are_found_by_the_root_of_what_is_typed():
    synonyms, bad = parse_synonyms("# comment\n\nPukulan = kekerasan, penganiayaan\n")
    assert synonyms == {"pukul": ["kekerasan", "penganiayaan"]} and bad == []
    expected = Or(
        [
            PlainText("pukul"),
            PlainText("keras", operator="and"),
            PlainText("aniaya", operator="and"),
        ]
    )
    assert repr(material_query("dipukul", synonyms)) == repr(expected)
    assert material_query("...", synonyms) is None


def test_stems_drop_markup_and_affixes():
    assert stem_text("<p>Perundungan, kekerasan &amp; perdagangan</p>") == "rundung keras dagang"
