"""Audit plumbing: one function writes a row; callers never build AuditLog themselves."""

import logging

from liaison import proxies
from liaison.models import AuditLog

logger = logging.getLogger("liaison.audit")


def client_ip(request):
    """X-Forwarded-For is believed only from TRUSTED_PROXIES (liaison.proxies), so an audit row's address cannot be
    chosen by the client."""
    return proxies.client_ip(request)


def audit(actor, action, obj=None, *, request=None, result=AuditLog.Result.OK, data=None, object_type=""):
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    row = AuditLog.objects.create(
        actor=actor,
        actor_repr=str(actor)[:150] if actor else "",
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip_address=client_ip(request),
        result=result,
        data=data or {},
    )
    return row


def audit_refusal(user, model, lookup, request=None):
    audit(
        user,
        "access.denied",
        request=request,
        result=AuditLog.Result.DENIED,
        object_type=model._meta.label_lower,
        data={"lookup": {k: str(v) for k, v in lookup.items()}},
    )
