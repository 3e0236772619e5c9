"""Related-object fields whose choices are the caller's scope, for serializers and forms alike.

Every id a write receives names another record. That record must be one the caller may see
(``visible_to``) *and* one the domain allows in that field (a reception day's deputies belong to its
station, a co-signer to the proposal's congress). Both are one callable per field, ``scope(user, context)
-> queryset``, kept in the app's ``rules.py``; the serializer field and the form field below take the same
callable, so the API and the HTML form offer and accept the same records.

An id outside the scope is answered like an id that does not exist: 400 with the field named, nothing
written, and nothing told about whether the record exists elsewhere.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

OUT_OF_SCOPE = _("“%(field)s”：编号 %(pk)s 不存在或不在可选范围内。")
OUT_OF_SCOPE_CHOICE = _("“%(field)s”：所选记录不存在或不在可选范围内。")


def _label(field, fallback):
    return str(field.label or fallback or "")


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key field resolved through ``scope(user, context)``.

    ``queryset`` is the unscoped base (it names the model for the schema); the records accepted are
    ``scope(request.user, serializer_context)``, where the view puts the instance the write is about
    (``reception_day``, ``proposal``, ...) into the serializer's context.
    """

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None) or self.context.get("user")
        if user is None:
            return self.queryset.none()
        return self.scope(user, self.context)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(str(data))
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            field = _label(
                self.parent if isinstance(self.parent, serializers.ManyRelatedField) else self, self.field_name
            )
            raise serializers.ValidationError(OUT_OF_SCOPE % {"field": field, "pk": pk}, code="out_of_scope")
        return obj


def scoped_ids(field_name, label, values, queryset):
    """Resolve ``values`` (ids) against ``queryset``; a ValidationError on ``field_name`` names the first outsider.

    For inputs whose scope depends on another field of the same body (a schedule's deputies on its
    station): the serializer's ``validate`` calls it with the rule's queryset."""
    wanted = list(dict.fromkeys(values))
    found = {obj.pk: obj for obj in queryset.filter(pk__in=wanted)}
    for pk in wanted:
        if pk not in found:
            raise serializers.ValidationError(
                {field_name: [OUT_OF_SCOPE % {"field": str(label), "pk": pk}]}, code="out_of_scope"
            )
    return [found[pk] for pk in wanted]


class _ScopedChoiceMixin:
    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)

    def bind_scope(self, user, context):
        self.queryset = self.scope(user, context)

    def _out_of_scope(self):
        return forms.ValidationError(OUT_OF_SCOPE_CHOICE % {"field": _label(self, "")}, code="invalid_choice")


class ScopedModelChoiceField(_ScopedChoiceMixin, forms.ModelChoiceField):
    """A form's ModelChoiceField whose queryset is ``scope(user, context)`` (see :func:`bind_scopes`)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code == "invalid_choice":
                raise self._out_of_scope() from error
            raise


class ScopedModelMultipleChoiceField(_ScopedChoiceMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except forms.ValidationError as error:
            if error.code == "invalid_choice":
                raise self._out_of_scope() from error
            raise


def bind_scopes(form, user, **context):
    """Give every scoped field of ``form`` its queryset for ``user`` and the instance(s) in ``context``."""
    for field in form.fields.values():
        if isinstance(field, _ScopedChoiceMixin):
            field.bind_scope(user, context)
