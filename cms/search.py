"""Searching the materials in Indonesian: stems and editors' synonyms.

Indonesian builds words around a root with prefixes and suffixes: a visitor types
"rundung", "keras" or "dagang" and the materials say "perundungan", "kekerasan",
"perdagangan orang". Neither of Wagtail's database backends matches them by itself:
SQLite's FTS5 tokenizer does not stem at all, and PostgreSQL's Indonesian snowball
configuration takes "perundungan" to "undung" while "rundung" stays "rundung".

So both sides are stemmed here, in Python, with Sastrawi (a dictionary-based
Indonesian stemmer: "perundungan", "merundung" and "dirundung" all become "rundung"):

- a material indexes a stemmed copy of its text (`MaterialPage.search_stems`, a
  SearchField beside the title, summary and body, which stay indexed as written);
- the visitor's words are stemmed before searching (`material_query`).

The stems then meet on every backend, whatever the database does to them next: on
PostgreSQL the same `indonesian` configuration (settings.WAGTAILSEARCH_BACKENDS)
treats both sides alike, so a stem still matches its stem. This needs no backend
subclass and no change to Wagtail's index tables; the cost is a longer index entry.

Synonyms ("bully = perundungan") come from the "Search synonyms" site setting that
editors extend: each word of the query matches its own stem or any of its synonyms.
"""

import functools
import html
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.search.query import And, Or, PlainText, SearchQuery

WORD = re.compile(r"\w+")


@functools.cache
def _stemmer():
    # The dictionary (some 30,000 roots) loads once per process, in a few milliseconds.
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


def stem_text(text: str) -> str:
    """Every word of `text` (HTML tags dropped) by its root, lower case: "Kekerasan
    terhadap anak" -> "keras hadap anak"."""
    return _stemmer().stem(html.unescape(strip_tags(text)))


def parse_synonyms(text: str) -> tuple[dict[str, list[str]], list[int]]:
    """The setting's lines `word = synonym, other synonym` as ({stem of word: [synonym,
    ...]}, numbers of the lines not of that form, which are left out). Blank lines and
    lines starting with # are skipped. Keyed by the stem, so "membully" finds the line
    of "bully"."""
    synonyms: dict[str, list[str]] = {}
    bad_lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, equals, alternatives = line.partition("=")
        key = stem_text(word)
        values = [value.strip() for value in alternatives.split(",") if stem_text(value)]
        if not equals or len(key.split()) != 1 or not values:
            bad_lines.append(number)
            continue
        synonyms.setdefault(key, []).extend(values)
    return synonyms, bad_lines


def material_query(text: str, synonyms: dict[str, list[str]]) -> SearchQuery | None:
    """The visitor's words as a Wagtail search query: every word must match, each by its
    stem or by the stems of its synonyms. None when no word is left."""
    words = []
    for word in WORD.findall(text.lower()):
        stem = stem_text(word)
        if not stem:
            continue
        alternatives = [PlainText(stem)]
        for synonym in synonyms.get(stem, []):
            alternatives.append(PlainText(stem_text(synonym), operator="and"))
        words.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    if not words:
        return None
    return words[0] if len(words) == 1 else And(words)


DEFAULT_SYNONYMS = """\
bully = perundungan
bullying = perundungan
perisakan = perundungan
trafficking = perdagangan orang
tppo = perdagangan orang
nikah = kawin
pelecehan = kekerasan seksual
"""


@register_setting(icon="search")
class SearchSettings(BaseSiteSetting):
    """Words that the materials search takes for others: what visitors type (an English
    word, a street word, an abbreviation) for what the materials say. Editors extend
    the list as they learn what people look for; `synonym_map` is what searches use."""

    synonyms = models.TextField(
        _("search synonyms"),
        blank=True,
        default=DEFAULT_SYNONYMS,
        help_text=_(
            "One word per line, an equals sign, then what it also means, separated by "
            "commas. For example: bully = perundungan, perisakan"
        ),
    )

    panels = [FieldPanel("synonyms")]

    class Meta:
        verbose_name = _("search synonyms")

    def clean(self):
        bad_lines = parse_synonyms(self.synonyms)[1]
        if bad_lines:
            raise ValidationError(
                {
                    "synonyms": _("Line %(number)s is not of the form: word = synonym, synonym.")
                    % {"number": bad_lines[0]}
                }
            )

    def synonym_map(self) -> dict[str, list[str]]:
        return parse_synonyms(self.synonyms)[0]
