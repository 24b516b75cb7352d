"""Mail to the people an HR request concerns, in their own language, through the outbox."""
from __future__ import annotations

from collections.abc import Callable

from flask_babel import force_locale

from core.mail import queue_mail
from core.models import User


def mail_user(session, user: User | None, compose: Callable[[], tuple[str, str]], reference: str) -> None:
    """Queue ``compose()``'s (subject, text), translated into ``user``'s language; nothing for a user without
    an email address (or no user)."""
    if user is None or not user.email:
        return
    with force_locale(user.lang):
        subject, text = compose()
        queue_mail(session, to=user.email, subject=subject[:200], text=text, reference=reference)
