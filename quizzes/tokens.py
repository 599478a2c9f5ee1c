"""The one-time submission token of a student's form, and the mark a phone keeps of
the answers it sent.

Each rendered form carries a fresh token: the submission is recorded once per token
(a unique column), and the token stands in for the CSRF check the student form does
without (see quizzes/views.py). Once the answers are recorded, the phone keeps their
token, signed, in a cookie for that session: reloading the quiz then shows the result
instead of a fresh form, and only that phone sees the result (see `sent_mark`)."""

import secrets
import time
from datetime import UTC, datetime

from django.core import signing

from quizzes.models import QuizSession

# A form left open this long asks to be sent again (with the answers kept).
TOKEN_MAX_AGE = 6 * 3600
_token_signer = signing.Signer(salt="quizzes.attempt-token")
_sent_signer = signing.Signer(salt="quizzes.sent")


def token_new(session: QuizSession) -> str:
    """A one-time submission token for a freshly rendered form: random, bound to the
    session and to the time it was issued, and signed so it cannot be made up."""
    return _token_signer.sign(f"{session.pk}.{int(time.time())}.{secrets.token_urlsafe(12)}")


def token_read(session: QuizSession, value: str) -> tuple[str, datetime] | None:
    """(token, issued at) from a posted token; None when it is missing, forged, for
    another session or too old."""
    try:
        session_id, issued, token = _token_signer.unsign(value or "").split(".")
        issued_at = datetime.fromtimestamp(int(issued), tz=UTC)
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        return None
    if int(session_id) != session.pk or time.time() - int(issued) > TOKEN_MAX_AGE:
        return None
    return token, issued_at


def sent_mark(session: QuizSession, token: str) -> str:
    """The cookie value by which a phone remembers that it sent the answers recorded
    with `token` to this session. It holds nothing about the student: the token is
    random, and signing it binds it to the session."""
    return _sent_signer.sign(f"{session.pk}.{token}")


def sent_read(session: QuizSession, value: str) -> str | None:
    """The token of the answers this phone sent to this session, from `sent_mark`'s
    cookie value; None when it is missing, forged or for another session."""
    try:
        session_id, token = _sent_signer.unsign(value or "").split(".", 1)
    except (signing.BadSignature, ValueError):
        return None
    return token if session_id == str(session.pk) else None
