"""Request rate limits (Flask-Limiter); storage from ``[server] ratelimit_storage``."""
from flask import request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def account_key() -> str:
    """Attempts on one account, from wherever they come."""
    return "account|" + (request.form.get("login") or "").strip().lower()


def pending_login_key() -> str:
    """Attempts at the second factor of one pending login."""
    return f"2fa|{session.get('pending_user_id')}"


limiter = Limiter(key_func=get_remote_address, default_limits=[])
