"""What a web process does once, when it starts, instead of in its first request: import
the URL configuration and build its reverse index (every app's admin views), load the
translation catalogues, compile the templates every visitor meets first, gather the
admin menus and build the rate limiter. Without it
the first request of each gunicorn worker took about a second on the dashboard.
cms/wsgi.py calls it after loading the application."""

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation
from wagtail.admin.icons import get_icon_sprite_hash
from wagtail.admin.menu import admin_menu, settings_menu

from cms.ratelimit import limiter

# The first pages of staff (the admin's first screen and the dashboard, the admin's
# frame and what it includes) and of students.
FIRST_TEMPLATES = [
    "wagtailadmin/home.html",
    "monitoring/dashboard.html",
    "monitoring/figures.html",
    "monitoring/share_table.html",
    "monitoring/charts.html",
    "wagtailadmin/generic/base.html",
    "wagtailadmin/shared/icon.html",
    "wagtailadmin/shared/keyboard_shortcuts_dialog.html",
    "wagtailadmin/shared/headers/slim_header.html",
    "wagtailadmin/shared/breadcrumbs.html",
    "wagtailadmin/shared/dialog/dialog.html",
    "quizzes/take.html",
    "cms/home_page.html",
]


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - importing every app's URLs is the point
    reverse("wagtailadmin_home")  # builds the reverse index
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Reach")  # loads the language's catalogues
    for name in FIRST_TEMPLATES:
        get_template(name)
    # Every admin page names the icon sprite by its hash: a template per icon, rendered
    # and kept by Wagtail.
    get_icon_sprite_hash()
    limiter()  # the rate limits' storage client, imported and connected once
    # The admin menus gather their items (every app's hooks and viewsets) once.
    admin_menu.registered_menu_items  # noqa: B018
    settings_menu.registered_menu_items  # noqa: B018
