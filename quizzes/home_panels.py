"""The quiz panels of the admin's first screen: the sessions open now with their
attempts, the certificates the worker could not make, and the uploads of answer
sheets with sheets waiting for review. wagtail_hooks.py adds them
for users who can see sessions and certificates."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from quizzes import selectors

# Listed on each panel at most; the quiz session list has the rest.
SESSIONS_SHOWN = 10


class OpenSessionsPanel(Component):
    name = "open_sessions"
    order = 120
    template_name = "quizzes/admin/home/open_sessions.html"

    def get_context_data(self, parent_context):
        sessions = selectors.sessions_open(limit=SESSIONS_SHOWN + 1)
        return {
            "sessions": [
                (session, reverse("quizzes_session:edit", args=[session.pk]))
                for session in sessions[:SESSIONS_SHOWN]
            ],
            "more": len(sessions) > SESSIONS_SHOWN,
            "list_url": reverse("quizzes_session:index"),
        }


class FailedCertificatesPanel(Component):
    """Shown only when some certificate failed. Nothing retries a failed certificate
    yet, so the panel leads to the session's results, where the attempts are."""

    name = "failed_certificates"
    order = 130
    template_name = "quizzes/admin/home/failed_certificates.html"

    def get_context_data(self, parent_context):
        sessions = selectors.sessions_with_failed_certificates(limit=SESSIONS_SHOWN)
        return {
            "sessions": [
                (session, reverse("quizzes_admin:session_results", args=[session.pk]))
                for session in sessions
            ]
        }


class SheetsToReviewPanel(Component):
    """Shown only when some paper sheet waits: a flagged sheet counts nowhere until
    staff confirm it."""

    name = "sheets_to_review"
    order = 125
    template_name = "quizzes/admin/home/sheets_to_review.html"

    def get_context_data(self, parent_context):
        batches = selectors.sheet_batches_to_review(limit=SESSIONS_SHOWN)
        return {
            "batches": [
                (batch, reverse("quizzes_admin:sheet_batch", args=[batch.pk])) for batch in batches
            ]
        }
