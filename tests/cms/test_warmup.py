"""A web process fills its one-time caches when it starts (cms/wsgi.py), not in its
first request."""

from wagtail.admin.icons import get_icon_sprite_hash, get_icons
from wagtail.admin.menu import admin_menu

from cms.warmup import warm_up


def test_warm_up_fills_the_admin_menu_and_the_icon_sprite(db):
    get_icons.cache_clear()
    get_icon_sprite_hash.cache_clear()
    admin_menu.__dict__.pop("registered_menu_items", None)
    warm_up()
    assert "registered_menu_items" in admin_menu.__dict__
    assert get_icons.cache_info().currsize == 1


def test_the_wsgi_application_warms_up_when_it_loads(monkeypatch):
    import importlib
    import sys

    calls = []
    monkeypatch.setattr("cms.warmup.warm_up", lambda: calls.append("warm"))
    sys.modules.pop("cms.wsgi", None)
    importlib.import_module("cms.wsgi")
    assert calls == ["warm"]
