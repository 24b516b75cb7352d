"""Request rate limits (Flask-Limiter); storage from ``[server] ratelimit_storage``."""
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def login_key() -> str:
    """Limit login attempts per address and per account, so neither can be hammered."""
    return f"{get_remote_address()}|{(request.form.get('login') or '').strip().lower()}"


limiter = Limiter(key_func=get_remote_address, default_limits=[])
