"""Staff see the admin in Indonesian, Wagtail's own screens included.

Wagtail 8 ships only part of its admin in Indonesian; locale_wagtail/ holds the rest
(cms/settings.py LOCALE_PATHS). Every role opens the admin screens it reaches and no
English word of the admin's chrome may show: in the visible text, the sidebar menu
(drawn by JavaScript from JSON in the page), or the labels a screen reader or a
pointer shows (aria-label, placeholder, title, alt, a button's value)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
import wagtail
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.utils.translation import trans_real
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Site

from cms.roles import ADMIN, ALL_ROLES, EDITOR, PARTNER, STAFF
from tests.campaigns.factories import VisitFactory
from tests.cms.factories import MaterialDocumentFactory, make_material

# Words of Wagtail's and Django's admin chrome: none may reach an Indonesian screen.
ENGLISH = [
    "Pages", "Images", "Documents", "Search", "Search all pages", "Search…", "Reports",
    "Help", "Create", "New:", "Save", "Save draft", "Publish", "Settings", "Users", "Groups",
    "Dashboard", "Edit", "Delete", "Cancel", "Filter", "Sort by", "Actions", "More actions",
    "editor guide", "Editor Guide", "Add", "Select", "Upload", "Choose", "Collection",
    "Account", "Log out", "Title", "Tags", "Preview", "History", "Inspect",
    "Usage", "Workflow", "Locked", "Snippets", "Bulk actions", "No results", "Previous",
    "Next", "Page", "Apply filters", "Show filters", "Back", "Yes", "Unknown", "Any",
    "Today", "Yesterday", "Toggle", "Skip to main content", "Sidebar", "Keyboard shortcuts",
    "Breadcrumb", "Pagination", "Close", "Clear", "Required", "Optional", "Comments",
    "Privacy", "Locale", "Revisions", "Compare", "Download", "Export", "Items", "Root",
    "Site name", "Root page",
]  # fmt: skip
# Longest first, so that "Search all pages" is found whole rather than as "Search".
WORD = re.compile(
    "|".join(rf"(?<![\w-]){re.escape(w)}(?![\w-])" for w in sorted(ENGLISH, key=len, reverse=True))
)
# Not English to an Indonesian reader: names and formats.
ALLOWED = ["Wagtail"]
SHOWN_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}
BUTTON_TYPES = {"submit", "button", "reset"}
HIDDEN_ELEMENTS = {"script", "style", "svg", "template"}


class ShownText(HTMLParser):
    """The text a person sees or hears on the page: element text and the labelling
    attributes, without scripts, styles and icons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0
        self.sidebar_json: list[str] = []
        self.in_sidebar_props = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("id") == "wagtail-sidebar-props":
            self.in_sidebar_props = True
        if tag in HIDDEN_ELEMENTS:
            self.hidden_depth += 1
            return
        if self.hidden_depth:
            return
        self.parts += [value for name, value in attrs.items() if name in SHOWN_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in BUTTON_TYPES and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        if tag not in HIDDEN_ELEMENTS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self.hidden_depth:
            self.hidden_depth -= 1
        if tag == "script":
            self.in_sidebar_props = False

    def handle_data(self, data):
        if self.in_sidebar_props:
            self.sidebar_json.append(data)
        elif not self.hidden_depth and data.strip():
            self.parts.append(data.strip())


def menu_labels(packed) -> list[str]:
    """The labels in the sidebar's JSON (Wagtail's telepath packing of its menu)."""
    if isinstance(packed, dict):
        own = [packed["label"]] if isinstance(packed.get("label"), str) else []
        return own + [label for value in packed.values() for label in menu_labels(value)]
    if isinstance(packed, list):
        return [label for value in packed for label in menu_labels(value)]
    return []


def shown_text(html: str) -> list[str]:
    parser = ShownText()
    parser.feed(html)
    sidebar = "".join(parser.sidebar_json)
    return parser.parts + (menu_labels(json.loads(sidebar)) if sidebar else [])


def english_words(html: str) -> dict[str, str]:
    """Each English word found, with the text it was found in."""
    found = {}
    for text in set(shown_text(html)) - permission_names():
        for word in ALLOWED:
            text = text.replace(word, "")
        for match in WORD.finditer(text):
            found.setdefault(match.group(), text[:80])
    return found


def permission_names() -> set[str]:
    """Django stores permission names in the database, in English (a group's form
    labels its checkboxes with them for screen readers): data, not the admin's words."""
    return {
        label
        for permission in Permission.objects.select_related("content_type")
        for label in (permission.name, str(permission))
    }


OUTREACH = {ADMIN, STAFF}
AUTHORS = {ADMIN, EDITOR}
PAGES = {ADMIN, STAFF, EDITOR}
REACH = {ADMIN, STAFF, PARTNER}

# Each admin screen, the roles that reach it, and its address from the objects below.
SCREENS = {
    "dashboard": (set(ALL_ROLES), "/admin/"),
    "account": (set(ALL_ROLES), "/admin/account/"),
    "page explorer": (PAGES, "/admin/pages/{materials}/"),
    "page search": (PAGES, "/admin/pages/search/?q=poster"),
    "page add form": (AUTHORS, "/admin/pages/add/cms/materialpage/{materials}/"),
    "page edit form": (PAGES, "/admin/pages/{material}/edit/"),
    "page history": (PAGES, "/admin/pages/{material}/history/"),
    "images": (AUTHORS, "/admin/images/"),
    "image upload": (AUTHORS, "/admin/images/multiple/add/"),
    "image edit form": (AUTHORS, "/admin/images/{image}/"),
    "documents": (AUTHORS, "/admin/documents/"),
    "document upload": (AUTHORS, "/admin/documents/multiple/add/"),
    "document edit form": (AUTHORS, "/admin/documents/edit/{document}/"),
    "snippets": (OUTREACH, "/admin/snippets/"),
    "topics": (OUTREACH, "/admin/snippets/cms/topic/"),
    "topic add form": (OUTREACH, "/admin/snippets/cms/topic/add/"),
    "partner agencies": (OUTREACH, "/admin/snippets/campaigns/partneragency/"),
    "hotlines settings": (OUTREACH, "/admin/settings/cms/helpsettings/{site}/"),
    "users": ({ADMIN}, "/admin/users/"),
    "user add form": ({ADMIN}, "/admin/users/new/"),
    "groups": ({ADMIN}, "/admin/groups/"),
    "group edit form": ({ADMIN}, "/admin/groups/edit/{group}/"),
    "sites": ({ADMIN}, "/admin/sites/"),
    "redirects": ({ADMIN}, "/admin/redirects/"),
    "workflows": ({ADMIN}, "/admin/workflows/list/"),
    "workflow tasks": ({ADMIN}, "/admin/workflows/tasks/index/"),
    "report: locked pages": (AUTHORS, "/admin/reports/locked/"),
    "report: site history": (set(ALL_ROLES), "/admin/reports/site-history/"),
    "report: aging pages": (PAGES, "/admin/reports/aging-pages/"),
    "report: workflows": (PAGES, "/admin/reports/workflow/"),
    "visits": (OUTREACH, "/admin/kunjungan/"),
    "visit add form": (OUTREACH, "/admin/kunjungan/new/"),
    "visit page": (OUTREACH, "/admin/kunjungan/inspect/{visit}/"),
    "visit edit form": (OUTREACH, "/admin/kunjungan/edit/{visit}/"),
    "visit calendar": (OUTREACH, "/admin/kunjungan/kalender/"),
    "campaigns": (OUTREACH, "/admin/kampanye/"),
    "campaign page": (OUTREACH, "/admin/kampanye/inspect/{campaign}/"),
    "quizzes": (OUTREACH, "/admin/quizzes/quiz/"),
    "quiz edit form": (OUTREACH, "/admin/quizzes/quiz/edit/{quiz}/"),
    "quiz sessions": (OUTREACH, "/admin/quizzes/sessions/"),
    "quiz session add form": (OUTREACH, "/admin/quizzes/sessions/new/"),
    "quiz results": (OUTREACH, "/admin/quizzes/results/"),
    "session results": (OUTREACH, "/admin/quizzes/sessions/{session}/results/"),
    "schools": (OUTREACH, "/admin/schools/"),
    "school page": (OUTREACH, "/admin/schools/inspect/{school}/"),
    "school edit form": (OUTREACH, "/admin/schools/edit/{school}/"),
    "villages": (OUTREACH, "/admin/villages/"),
    "school import": (OUTREACH, "/admin/schools/import/"),
    "reach dashboard": (REACH, "/admin/jangkauan/?dari=2026-01-01&sampai=2026-12-31"),
}
CASES = [(role, screen) for screen, (roles, _) in SCREENS.items() for role in sorted(roles)]


@pytest.fixture
def objects(world, public_site):
    materials = public_site.get_children().get(slug="materi")
    material = make_material(materials, title="Poster stop perundungan")
    collection = Collection.objects.get(name="Materi")
    image = get_image_model().objects.create(
        title="Poster", file=get_test_image_file(), collection=collection
    )
    document = MaterialDocumentFactory(collection=collection)
    visit = VisitFactory(school=world.a, campaign=world.k1)
    return {
        "materials": materials.pk,
        "material": material.pk,
        "image": image.pk,
        "document": document.pk,
        "site": Site.objects.get(is_default_site=True).pk,
        "group": Group.objects.get(name=STAFF).pk,
        "visit": visit.pk,
        "campaign": world.k1.pk,
        "quiz": world.quiz.pk,
        "session": world.post.pk,
        "school": world.a.pk,
    }


@pytest.mark.parametrize(("role", "screen"), CASES, ids=[f"{r}: {s}" for r, s in CASES])
def test_each_admin_screen_is_in_indonesian(role_clients, objects, role, screen):
    url = SCREENS[screen][1].format(**objects)
    response = role_clients(role).get(url)
    assert response.status_code == 200, f"{role} should open {screen} ({url})"
    found = english_words(response.content.decode())
    assert not found, f"English on {screen} ({url}): " + "; ".join(
        f"{word!r} in {text!r}" for word, text in found.items()
    )


def test_the_check_finds_english_where_there_is_some(db):
    html = """<html><body><script>var Pages = 1;</script><svg><title>Edit</title></svg>
    <a class="Edit" href="/Edit/" data-label="Delete">Ubah</a><p>Simpan konsep</p>
    <button aria-label="Search all pages">Cari</button><input placeholder="Search…">
    <input type="submit" value="Create"><p>Wagtail inti | halaman | Publish any page</p>
    <script id="wagtail-sidebar-props" type="application/json">
    {"_type": "wagtail.sidebar.LinkMenuItem", "_args": [{"label": "Reports"}]}</script>
    <p>Halaman</p><label>New: Kuis</label></body></html>"""
    assert set(english_words(html)) == {"Search all pages", "Search…", "Create", "Reports", "New:"}


WAGTAIL = Path(wagtail.__file__).parent
# The Wagtail apps in INSTALLED_APPS whose screens staff reach, and the admin's scripts.
CATALOGUES = [
    (f"{app.replace('.', '/')}/locale/en/LC_MESSAGES/django.po", "django")
    for app in settings.INSTALLED_APPS
    if app.startswith("wagtail")
] + [("wagtail/admin/locale/en/LC_MESSAGES/djangojs.po", "djangojs")]


@pytest.mark.parametrize(("source", "domain"), CATALOGUES)
def test_every_wagtail_string_has_indonesian(role_clients, source, domain):
    """After a Wagtail upgrade this names its new strings: translate them in
    locale_wagtail/id/LC_MESSAGES/ and compile them (`make messages`)."""
    english = [e for e in polib.pofile(str(WAGTAIL.parent / source)) if not e.obsolete]
    if domain == "djangojs":
        # The admin's scripts read their strings from this catalogue, made for the user.
        script = role_clients(EDITOR).get("/admin/jsi18n/").content.decode()
        missing = [e.msgid for e in english if json.dumps(catalogue_key(e)) + ":" not in script]
    else:
        # Django merges every app's and LOCALE_PATHS' catalogue into this one.
        merged = trans_real.translation("id")._catalog
        missing = [e.msgid for e in english if not merged.get(catalogue_key(e, plural_form=0))]
    assert missing == []


def catalogue_key(entry: polib.POEntry, plural_form: int | None = None):
    """How gettext files the entry: its context, then its msgid (and plural form)."""
    key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (key, plural_form) if entry.msgid_plural and plural_form is not None else key


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_link_to_wagtails_english_guides(role_clients, role):
    """The editor guide and the release notes are English pages on wagtail.org (and the
    upgrade check, off in settings, links there too): Help keeps the keyboard shortcuts."""
    html = role_clients(role).get("/admin/").content.decode()
    assert "wagtail.org" not in html
    assert "Pintasan" in shown_text(html)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_admin_sends_no_staff_email_hash_to_gravatar(role_clients, role, django_user_model):
    client = role_clients(role)
    django_user_model.objects.update(email="rina@example.id")
    for url in ("/admin/", "/admin/account/"):
        assert "gravatar" not in client.get(url).content.decode()


def test_no_number_is_glued_to_the_next_word():
    """Wagtail's own Indonesian has "Digunakan %(usage_count)skali" ("Digunakan 0kali"):
    a placeholder followed by a space in English keeps it in Indonesian."""
    catalogue = trans_real.translation("id")._catalog
    glued = re.compile(r"%\((\w+)\)[sd](?=[^\W\d_])")
    found = []
    for key, _translation in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        for match in glued.finditer(catalogue[key]):
            if re.search(re.escape(match.group(0)) + r"\s", msgid):
                found.append(catalogue[key])
    assert found == []


def test_the_groups_form_names_our_own_permissions_in_indonesian(role_clients, db):
    page = role_clients(ADMIN).get(f"/admin/groups/edit/{Group.objects.get(name=STAFF).pk}/")
    html = page.content.decode()
    assert "Dapat melihat hasil kuis (angka, tanpa nama)" in html
    assert "Can see" not in html and "Can update" not in html
