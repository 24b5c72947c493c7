"""The optional operator key (ADMIN_TOKEN) that guards creating and deleting tenants and adding users.

Without a key those routes stay open, as in the original API, which suits a
laptop; the server warns once at start when it listens beyond loopback so.
"""
import hmac
import ipaddress
import os
from functools import wraps

from flask import current_app, request

from taskflask.web.errors import ApiError

BEARER = "bearer "


def require_operator_key():
    """401 unless the request carries ``Authorization: Bearer <ADMIN_TOKEN>`` (when a key is set)."""
    key = current_app.config["ADMIN_TOKEN"]
    if not key:
        return
    given = request.headers.get("Authorization", "")
    # Header values arrive decoded as latin-1: encoding them back gives the bytes that were sent.
    if given[:len(BEARER)].lower() != BEARER or not hmac.compare_digest(
            given[len(BEARER):].strip().encode("latin-1"), key.encode("utf-8")):
        raise ApiError(401, "unauthorized", "This needs the operator key: Authorization: Bearer <ADMIN_TOKEN>.",
                       headers={"WWW-Authenticate": 'Bearer realm="taskflask"'})


def operator_only(view):
    """The view needs the operator key when one is configured (see require_operator_key)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        require_operator_key()
        return view(*args, **kwargs)
    wrapper.needs_operator_key = True  # read by the OpenAPI document
    return wrapper


def is_loopback(address):
    """True for a gunicorn address only this machine can reach: a Unix socket or a loopback host."""
    if isinstance(address, (str, bytes)):
        return True  # a Unix socket path
    host = address[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def exposure_warning(addresses, key=None):
    """The warning to log when the server listens beyond loopback without ADMIN_TOKEN, else None."""
    key = os.environ.get("ADMIN_TOKEN", "") if key is None else key
    exposed = [address for address in addresses if not is_loopback(address)]
    if key or not exposed:
        return None
    where = ", ".join(f"{host}:{port}" for host, port, *_ in exposed)
    return (f"ADMIN_TOKEN is not set and the API listens on {where}: anyone who reaches it can create "
            "and delete organizations and add users. Set ADMIN_TOKEN, or bind 127.0.0.1.")
