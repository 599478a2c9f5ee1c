"""A plain 403 for admin screens and downloads that a user may not see (visits'
contact persons, the registry's headteachers, exports and PDFs), where Wagtail would
redirect a refused user to its dashboard: a partner who follows a link to such a page is
told plainly that it is refused. (Anonymous users still go to the login page: Wagtail
checks that first.)"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied


def forbidden_when_refused(view):
    """The view, answering PermissionDenied with the 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return permission_denied(request, error)

    return wrapped


def refuse_with_403(urlpatterns: list) -> list:
    """The same URL patterns, each answering a refused user with a 403."""
    for pattern in urlpatterns:
        pattern.callback = forbidden_when_refused(pattern.callback)
    return urlpatterns


def require_permission(permission: str):
    """A view decorator: a user without `permission` gets the 403 page."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return forbidden_when_refused(checked)

    return decorator
