import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert settings.USE_TZ is True


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k9$Gm2!vQz7@pL4#xW8^nR1&tY6*uB3(cE5)hJ0_aS9+dF2-gK7=",
        "DJANGO_ALLOWED_HOSTS": "sekolahaman.example.id",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://sekolahaman.example.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret_key",
    [
        None,  # not set
        "",
        "dev-only-insecure-key-never-use-in-production",  # the development placeholder
        "short-but-not-empty",
        "a" * 60,  # long but not random
        "django-insecure-" + "x1y2z3" * 10,
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    env = {"DJANGO_DEBUG": "0"} if secret_key is None else {"DJANGO_SECRET_KEY": secret_key}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    show = "from django.conf import settings; print(settings.DEBUG)"
    key = "k9$Gm2!vQz7@pL4#xW8^nR1&tY6*uB3(cE5)hJ0_aS9+dF2-gK7="
    assert _manage("shell", "-c", show, DJANGO_SECRET_KEY=key).stdout.split()[-1] == "False"
    assert _manage("shell", "-c", show, DJANGO_DEBUG="1").stdout.split()[-1] == "True"


def test_public_pages_send_a_strict_content_security_policy(client, public_site):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_not_found_page_is_friendly_and_in_indonesian(client, public_site):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'href="tel:129"' in html


def test_server_error_page_is_in_indonesian(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()


def test_permission_denied_page_is_in_indonesian(rf, public_site):
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/"), exception=None)
    assert "Akses ditolak" in response.content.decode()


def test_csrf_failure_is_a_friendly_page(public_site):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in response.content.decode()


def login(client, username, password, ip):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_login_lockout_is_per_username_and_ip(client, django_user_model, public_site):
    django_user_model.objects.create_user("guru", password="kata-sandi-benar-123")
    django_user_model.objects.create_user("staf", password="kata-sandi-staf-456")
    school_ip, home_ip = "10.0.0.1", "10.9.9.9"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "guru", "salah", school_ip)

    locked = login(client, "guru", "kata-sandi-benar-123", school_ip)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()

    # Another user behind the same school IP is not locked out...
    other = login(Client(), "staf", "kata-sandi-staf-456", school_ip)
    assert other.status_code == 302
    # ...nor the same user from another connection.
    elsewhere = login(Client(), "guru", "kata-sandi-benar-123", home_ip)
    assert elsewhere.status_code == 302


def test_client_ip_ignores_forwarded_headers_unless_configured(rf, settings):
    from cms.client_ip import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.2"
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


@pytest.mark.django_db
def test_lockout_behind_a_proxy_uses_the_proxy_given_address(
    client, django_user_model, public_site, settings
):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    django_user_model.objects.create_user("guru", password="kata-sandi-benar-123")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "guru", "password": "salah"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.7",
        )
    from_elsewhere = Client().post(
        "/admin/login/",
        {"username": "guru", "password": "kata-sandi-benar-123"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="198.51.100.4",
    )
    assert from_elsewhere.status_code == 302


def test_pdfs_never_fetch_from_the_network():
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from cms.pdf import html_to_pdf

    hits = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        pdf = html_to_pdf(
            f'<link rel="stylesheet" href="{url}/style.css"><img src="{url}/pixel.png"><p>Halo</p>'
        )
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF")
    assert hits == []
