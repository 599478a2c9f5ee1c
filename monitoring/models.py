"""The monitoring app keeps no data of its own: it composes the other apps' figures.
Its one model exists only to hold the permission to see them."""

from django.db import models


class Reach(models.Model):  # noqa: DJ008 - never instantiated: nothing to show
    """No table: the home of the permission `monitoring.view_reach`."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_reach", "Can see the reach dashboard, its exports and reports")]
