"""A plain 403 for admin screens holding personal data (visits' contact persons, the
registry's headteachers and contacts), where Wagtail would redirect a refused user to
its dashboard: a partner who follows a link to such a page is told plainly that it is
refused. (Anonymous users still go to the login page: Wagtail checks that first.)"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied


def refuse_with_403(urlpatterns: list) -> list:
    """The same URL patterns, each answering a refused user with a 403."""
    for pattern in urlpatterns:
        pattern.callback = _forbidden_when_refused(pattern.callback)
    return urlpatterns


def _forbidden_when_refused(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return permission_denied(request, error)

    return wrapped
