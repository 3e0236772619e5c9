"""System checks of the kernel.

liaison.E201: every writable related-object field of an API request serializer is scoped
(``liaison.scoped.ScopedPrimaryKeyRelatedField``): a plain ``PrimaryKeyRelatedField``, ``SlugRelatedField``
or ``ManyRelatedField`` would accept any record of the model, whoever calls.
"""

from django.core import checks
from rest_framework import serializers

from liaison.scoped import ScopedPrimaryKeyRelatedField

WRITE_METHODS = ("POST", "PUT", "PATCH")


def write_request_serializers():
    """``(method, path, serializer instance)`` of every write operation in the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import spectacular_settings

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        if method not in WRITE_METHODS:
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        schema = view.schema
        schema.path, schema.path_regex, schema.path_prefix, schema.method = path, path_regex, "", method
        serializer = schema.get_request_serializer()
        if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
            serializer = serializer()
        if isinstance(serializer, serializers.BaseSerializer):
            yield method, path, serializer


def unscoped_related_fields(serializer, prefix=""):
    """Dotted names of the writable related fields of ``serializer`` (nested ones too) that are not scoped."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        dotted = f"{prefix}{name}"
        if isinstance(field, serializers.BaseSerializer):
            yield from unscoped_related_fields(field, f"{dotted}.")
            continue
        related = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
        if isinstance(field, serializers.ListField):
            related = field.child
        if isinstance(related, serializers.RelatedField) and not isinstance(related, ScopedPrimaryKeyRelatedField):
            yield dotted


@checks.register(checks.Tags.security)
def check_scoped_related_fields(app_configs=None, **kwargs):
    errors = []
    for method, path, serializer in write_request_serializers():
        for name in unscoped_related_fields(serializer):
            errors.append(
                checks.Error(
                    f"{method} {path}: {type(serializer).__name__}.{name} is a related field without a scope.",
                    hint="Declare it as liaison.scoped.ScopedPrimaryKeyRelatedField(scope=<app>.rules.<rule>, ...).",
                    obj=type(serializer),
                    id="liaison.E201",
                )
            )
    return errors
