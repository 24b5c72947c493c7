"""``@documented``: what an API view declares about itself for the OpenAPI document.

Every API view declares its summary, who may call it (``access``), its body,
query and answer; taskflask.web.openapi.spec turns the declarations into the document.
"""
from dataclasses import dataclass, field, replace

# Who may call a route: no headers / x-tenant-id / plus a user / plus an admin user.
ACCESS_LEVELS = ("public", "tenant", "user", "admin")


@dataclass(frozen=True)
class Operation:
    """One view's declaration: what it does, who may call it, what it takes and answers."""

    summary: str
    access: str
    answer: type | None = None
    status: int = 200
    many: bool = False
    body: type | None = None
    query: type | None = None
    errors: tuple = field(default_factory=tuple)
    content_type: str = "application/json"
    operator_key: bool = False  # guarded by taskflask.web.operator_key.operator_only


def documented(summary, access, **details):
    """Attach an Operation to a view."""
    if access not in ACCESS_LEVELS:
        raise ValueError(f"access must be one of {ACCESS_LEVELS}")
    operation = Operation(summary, access, **details)

    def decorate(view):
        view.operation = replace(operation, operator_key=getattr(view, "needs_operator_key", False))
        return view
    return decorate
