import io

from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_ensure_admin_uses_the_given_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "rahasia-demo-123")
    call_command("ensure_admin", stdout=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("rahasia-demo-123")


def test_ensure_admin_prints_a_generated_password_once(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    first, second = io.StringIO(), io.StringIO()
    call_command("ensure_admin", stdout=first)
    call_command("ensure_admin", stdout=second)
    password = first.getvalue().rsplit(": ", 1)[1].strip()
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert password not in second.getvalue()
