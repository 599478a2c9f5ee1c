from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's IP address for login lockouts and rate limits.

    REMOTE_ADDR by default. Behind nginx, set DJANGO_CLIENT_IP_HEADER=HTTP_X_REAL_IP and
    let nginx overwrite that header with $remote_addr: unlike X-Forwarded-For, which a
    client can pre-fill, it cannot be spoofed to dodge a limit.
    """
    return request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR")
