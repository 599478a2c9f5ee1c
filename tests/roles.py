"""Shared check for the role x URL matrices in each app's test_roles.py."""

from cms.roles import ALL_ROLES


def assert_access(client_for_role, url: str, allowed: set[str]) -> None:
    """Every role in `allowed` opens `url` (200); every other role is turned away with a
    403 or a redirect, never shown the page and never a server error."""
    for role in ALL_ROLES:
        response = client_for_role(role).get(url)
        if role in allowed:
            assert response.status_code == 200, f"{role} should open {url}"
        else:
            assert response.status_code in (302, 403), (
                f"{role} should not open {url} (got {response.status_code})"
            )


def assert_login_required(client, urls) -> None:
    """An anonymous visitor is sent to the admin login from every one of `urls`."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
