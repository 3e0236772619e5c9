"""The one workflow core: every status field of every app moves through :func:`transition`.

A workflow model keeps its table beside its ``Status``::

    class Proposal(TimeStampedModel):
        class Status(models.TextChoices): ...

        TRANSITIONS = {Status.DRAFT: {Status.SUBMITTED, ...}, ...}  # a status not listed as a key is final
        STATUS_CHANGES = "status_changes"  # the reverse name of its StatusChange model, or None (no history)
        TRANSITION_REFUSED = _("...%(current)s...%(requested)s...")  # optional: the refusal in its own words

and is registered with :func:`register`. Each workflow step stays its own service (permission checks, its own
fields, side effects) and calls :func:`transition` for the move itself. The kernel imports no app.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy

from liaison.audit import audit
from liaison.errors import InvalidTransition

# The refusal when a model does not say it in its own words.
DEFAULT_REFUSAL = gettext_lazy("当前状态“%(current)s”不能转为“%(requested)s”。")

_LOCK_MARK = "_workflow_locked_in"


class StatusChange(models.Model):
    """One step of a workflow: the base of every app's status-change model (history, never deleted with its object).

    A subclass adds the foreign key to its object (``on_delete=PROTECT``, ``related_name`` as ``STATUS_CHANGES``
    says) and may redeclare ``from_status``/``to_status`` with its ``Status.choices``.
    """

    from_status = models.CharField(gettext_lazy("原状态"), max_length=16, blank=True)
    to_status = models.CharField(gettext_lazy("新状态"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(gettext_lazy("说明"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


@dataclass(frozen=True)
class Workflow:
    model: type
    change_model: type | None
    change_fk: str | None

    @property
    def transitions(self):
        return self.model.TRANSITIONS

    def allowed(self, from_status, to_status):
        return to_status in self.model.TRANSITIONS.get(from_status, ())

    def table(self):
        """``[(from label, [to labels])]`` in the order of ``Status``: what the admin shows."""
        status = self.model.Status
        return [
            (status(source).label, [status(target).label for target in status if target in targets])
            for source in status
            if (targets := self.model.TRANSITIONS.get(source))
        ]


_registry: dict[type, Workflow] = {}


def register(model):
    """Class decorator: ``model`` has a ``Status``, a ``TRANSITIONS`` table over it and ``STATUS_CHANGES``."""
    statuses = set(model.Status.values)
    for source, targets in model.TRANSITIONS.items():
        unknown = ({source} | set(targets)) - statuses
        if unknown:
            raise TypeError(f"{model.__name__}.TRANSITIONS names unknown statuses {sorted(unknown)}")
    _registry[model] = None  # resolved lazily: the status-change model may be declared after this one
    return model


def _resolve(model):
    name = getattr(model, "STATUS_CHANGES", None)
    if name is None:
        return Workflow(model, None, None)
    relation = model._meta.get_field(name)
    return Workflow(model, relation.related_model, relation.field.name)


def workflow_of(model):
    """The registered :class:`Workflow` of ``model`` (a class or an instance)."""
    model = model if isinstance(model, type) else type(model)
    model = model._meta.concrete_model
    if model not in _registry:
        raise LookupError(f"{model.__name__} is not registered with liaison.workflow")
    if _registry[model] is None:
        _registry[model] = _resolve(model)
    return _registry[model]


def registered():
    """Every registered workflow, in registration order."""
    return [workflow_of(model) for model in list(_registry)]


def lock(queryset, pk):
    """``queryset.select_for_update().get(pk=pk)`` (keeping the queryset's own ``select_for_update(of=...)``), marked
    so that :func:`transition` need not read the row again. The mark holds for the outermost transaction it was
    read in; a service locks at its start and passes on only what it locked."""
    if not queryset.query.select_for_update:
        queryset = queryset.select_for_update()
    return mark_locked(queryset.get(pk=pk))


def mark_locked(obj):
    """Tell :func:`transition` that ``obj`` was just read with ``select_for_update()`` in this transaction."""
    setattr(obj, _LOCK_MARK, connection.atomic_blocks[0] if connection.atomic_blocks else None)
    return obj


def _holds_lock(obj):
    mark = getattr(obj, _LOCK_MARK, None)
    return mark is not None and bool(connection.atomic_blocks) and mark is connection.atomic_blocks[0]


def refusal(obj, to_status, *, message=None, code="invalid_transition", requested=None):
    """The :class:`InvalidTransition` for moving ``obj`` to ``to_status``, both states named in the user's words."""
    status = type(obj).Status
    template = message or getattr(type(obj), "TRANSITION_REFUSED", None) or DEFAULT_REFUSAL
    text = str(template) % {"current": status(obj.status).label, "requested": status(to_status).label}
    return InvalidTransition(
        text, current=obj.status, requested=str(requested if requested is not None else to_status), code=code
    )


def check(obj, to_status, **refusal_options):
    """Raise :class:`InvalidTransition` unless the table allows ``obj.status`` → ``to_status``."""
    if not workflow_of(obj).allowed(obj.status, to_status):
        raise refusal(obj, to_status, **refusal_options)


def transition(
    obj,
    to_status,
    *,
    actor,
    note="",
    action=None,
    audit_data=None,
    validate=True,
    message=None,
    code="invalid_transition",
    requested=None,
    history_fields=None,
    **fields,
):
    """Move ``obj`` to ``to_status``: lock and re-read its row (unless :func:`lock` fetched it in this transaction),
    check the table, write the status-change row, set ``fields``, ``full_clean()`` (unless ``validate=False``), save,
    and audit it as ``action`` (default ``"<model>.<to_status>"``) with ``audit_data`` (default ``{"from", "note"}``;
    ``action=False`` leaves the audit to the caller). ``history_fields`` go on the status-change row (e.g. the API
    client a work order's callback came from). Returns the status-change row (None for a model without one).
    """
    flow = workflow_of(obj)
    if not connection.in_atomic_block:
        raise RuntimeError("liaison.workflow.transition() must run inside transaction.atomic()")
    if not _holds_lock(obj):
        obj.status = type(obj)._default_manager.select_for_update().values_list("status", flat=True).get(pk=obj.pk)
    check(obj, to_status, message=message, code=code, requested=requested)
    from_status = obj.status
    change = None
    if flow.change_model is not None:
        change = flow.change_model._default_manager.create(
            **{flow.change_fk: obj},
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            note=note,
            **(history_fields or {}),
        )
    obj.status = to_status
    for name, value in fields.items():
        setattr(obj, name, value)
    if validate:
        obj.full_clean()
    obj.save()
    if action is not False:
        data = {"from": from_status, "note": note} if audit_data is None else audit_data
        audit(actor, action or f"{obj._meta.model_name}.{to_status}", obj, data=data)
    return change


def record_note(obj, *, actor, note):
    """A timeline row that does not move the status (from = to), as deadline extensions and key supervision write."""
    flow = workflow_of(obj)
    return flow.change_model._default_manager.create(
        **{flow.change_fk: obj}, from_status=obj.status, to_status=obj.status, actor=actor, note=note
    )


def record_created(obj, *, from_status, actor, note="", history_fields=None):
    """The first history row of an object created already past ``from_status`` (a 12345 order pushed to us arrives
    accepted): checked against the table as if it had moved, without a second write of the object."""
    flow = workflow_of(obj)
    if not flow.allowed(from_status, obj.status):
        raise TypeError(f"{type(obj).__name__}: {from_status} → {obj.status} is not in its table")
    return flow.change_model._default_manager.create(
        **{flow.change_fk: obj},
        from_status=from_status,
        to_status=obj.status,
        actor=actor,
        note=note,
        **(history_fields or {}),
    )
