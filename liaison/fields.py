"""Model fields for personal data: an encrypted mobile number and its keyed hash.

``mobile = EncryptedMobileField(_("手机号"), blank=True)`` stores an AES-GCM token (liaison.crypto) and reads back
the clear number, so Python code (masking, SMS, the call-back screen) sees a plain ``str``.
``mobile_hash = MobileHashField(source="mobile")`` is the HMAC of that number: the attribute is always computed
from the current ``mobile``, so whatever writes the row (``save``, ``bulk_create``, ``bulk_update`` with the hash in
its field list) writes a matching hash. Models with encrypted fields mix in ``PersonalDataModelMixin`` so that
``save(update_fields=["mobile"])`` also writes the hash.

Look-ups: ``filter(mobile="13812345678")`` and ``filter(mobile__in=[...])`` are routed to the hash column (every
configured key, see ``liaison.crypto.lookup_hashes``); ``filter(mobile="")`` finds rows without a number. Any
other look-up (``icontains``, ``startswith``, ``gt``…) raises ``FieldError``: ciphertext cannot be searched, and
an empty answer would lie. ``QuerySet.update(mobile=...)`` writes the hash too when the model's queryset mixes
in ``PersonalDataQuerySetMixin`` (User, Deputy and Opinion do); an expression (``F()``) for an encrypted field is
refused there unless the same call sets the hash (as ``bulk_update`` with both fields does).
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull
from django.db.models.query_utils import DeferredAttribute

from liaison import crypto


def _hash_column(lookup):
    lhs = lookup.lhs
    if not isinstance(lhs, Col):
        raise FieldError("An encrypted field can only be compared as a column, by its hash.")
    hash_field = lhs.target.model._meta.get_field(lhs.target.hash_field)
    return Col(lhs.alias, hash_field)


def _plain(value):
    if hasattr(value, "resolve_expression"):
        raise FieldError("An encrypted field cannot be compared with an expression; compare the hash columns.")
    return crypto.normalize(value)


class EncryptedExact(Exact):
    """``mobile = x`` becomes ``mobile_hash IN (HMAC_k(x) for each configured key)``; ``mobile = ''`` stays."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        value = _plain(self.rhs)
        if not value:
            lhs_sql, lhs_params = self.process_lhs(compiler, connection)
            return f"{lhs_sql} = %s", (*lhs_params, "")
        hash_sql, hash_params = compiler.compile(_hash_column(self))
        hashes = crypto.lookup_hashes(value)
        placeholders = ", ".join(["%s"] * len(hashes))
        return f"{hash_sql} IN ({placeholders})", (*hash_params, *hashes)


class EncryptedIn(In):
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if hasattr(self.rhs, "resolve_expression"):
            raise FieldError("An encrypted field cannot be compared with a subquery; compare the hash columns.")
        values = {_plain(value) for value in self.rhs}
        hashes = sorted({h for value in values if value for h in crypto.lookup_hashes(value)})
        if "" in values:
            hashes.append("")
        if not hashes:
            return "1 = 0", ()
        hash_sql, hash_params = compiler.compile(_hash_column(self))
        placeholders = ", ".join(["%s"] * len(hashes))
        return f"{hash_sql} IN ({placeholders})", (*hash_params, *hashes)


class EncryptedMobileField(models.CharField):
    """A mobile number stored encrypted. ``max_length`` bounds the clear value; the column holds the token."""

    def __init__(self, *args, hash_field="mobile_hash", **kwargs):
        kwargs.setdefault("max_length", 11)
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 11:
            del kwargs["max_length"]
        if self.hash_field != "mobile_hash":
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def db_type(self, connection):
        return f"varchar({crypto.TOKEN_MAX_LENGTH})"

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value)

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):
            return value
        return crypto.encrypt(self.get_prep_value(value))

    def get_lookup(self, lookup_name):
        return {"exact": EncryptedExact, "in": EncryptedIn, "isnull": IsNull}.get(lookup_name)

    def get_transform(self, lookup_name):
        return None


class _HashAttribute(DeferredAttribute):
    """Reads compute the hash from the clear value of ``field.source``; writes (from the database) are kept only
    so that Django knows the column is loaded."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return crypto.lookup_hash(getattr(instance, self.field.source))

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class MobileHashField(models.CharField):
    """HMAC-SHA256 (hex) of the encrypted field ``source``, for exact look-ups and uniqueness. Never edited."""

    descriptor_class = _HashAttribute

    def __init__(self, *args, source="mobile", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", crypto.HASH_LENGTH)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_length", crypto.HASH_LENGTH), ("blank", True), ("default", ""), ("editable", False)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        if self.source != "mobile":
            kwargs["source"] = self.source
        return name, path, args, kwargs


class PersonalDataQuerySetMixin:
    """``update(mobile="138…")`` also writes ``mobile_hash``: the one write that bypasses the model's attributes
    would otherwise leave a hash of the old number (look-ups, uniqueness and rate limits would miss the new one)."""

    def update(self, **kwargs):
        for field in self.model._meta.concrete_fields:
            if not isinstance(field, EncryptedMobileField) or field.name not in kwargs:
                continue
            if field.hash_field in kwargs:  # bulk_update with both columns: each row's hash is already there
                continue
            value = kwargs[field.name]
            if hasattr(value, "resolve_expression"):
                raise FieldError(f"{field.name}: an encrypted field is updated with a value, not an expression.")
            kwargs[field.hash_field] = crypto.lookup_hash(value)
        return super().update(**kwargs)


class PersonalDataModelMixin:
    """``save(update_fields=[...])`` naming an encrypted field also writes its hash."""

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            for field in self._meta.concrete_fields:
                if isinstance(field, EncryptedMobileField) and (field.name in names or field.attname in names):
                    names.add(field.hash_field)
            kwargs["update_fields"] = names
        return super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        """A form that edits ``mobile`` never holds ``mobile_hash``; its constraints (uniqueness) still apply."""
        if exclude:
            exclude = set(exclude)
            for field in self._meta.concrete_fields:
                if isinstance(field, EncryptedMobileField) and field.name not in exclude:
                    exclude.discard(field.hash_field)
        return super().validate_constraints(exclude=exclude)


def encrypt_clear_rows(model, *, field="mobile", hash_field="mobile_hash", batch_size=2000):
    """Encrypt and hash the clear values of ``model.field`` in batches (for data migrations).

    ``model`` is a historical model (``apps.get_model``) whose ``field`` is still a plain text column. Rows already
    holding a token are left alone, so the function is safe to re-run. Returns how many rows it changed.
    """
    changed = 0
    rows = model._base_manager.exclude(**{field: ""}).exclude(**{f"{field}__startswith": crypto.PREFIX})
    while True:
        batch = list(rows.order_by("pk").only("pk", field)[:batch_size])
        if not batch:
            return changed
        for row in batch:
            clear = getattr(row, field)
            setattr(row, hash_field, crypto.lookup_hash(clear))
            setattr(row, field, crypto.encrypt(clear))
        model._base_manager.bulk_update(batch, [field, hash_field])
        changed += len(batch)


def decrypt_token_rows(model, *, field="mobile", hash_field="mobile_hash", batch_size=2000):
    """The reverse of ``encrypt_clear_rows``: tokens back to clear values, hashes emptied."""
    changed = 0
    rows = model._base_manager.filter(**{f"{field}__startswith": crypto.PREFIX})
    while True:
        batch = list(rows.order_by("pk").only("pk", field)[:batch_size])
        if not batch:
            return changed
        for row in batch:
            setattr(row, field, crypto.decrypt(getattr(row, field)))
            setattr(row, hash_field, "")
        model._base_manager.bulk_update(batch, [field, hash_field])
        changed += len(batch)


def reencrypt_rows(model, *, batch_size=2000):
    """Re-encrypt and re-hash, under the current key, every row of ``model`` whose token names an older key.

    Reads the stored tokens with raw SQL (the field would decrypt them and hide which key they used). Returns how
    many rows it changed; safe to interrupt and re-run.
    """
    from django.db import connection

    encrypted = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMobileField)]
    if not encrypted:
        return 0
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in encrypted)
    changed, last = 0, None
    while True:
        where = f"WHERE {quote(pk)} > %s" if last is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(pk)}, {columns} FROM {quote(table)} {where} ORDER BY {quote(pk)} LIMIT %s",  # noqa: S608
                [last, batch_size] if last is not None else [batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return changed
        last = rows[-1][0]
        stale = []
        for row in rows:
            tokens = dict(zip((f.attname for f in encrypted), row[1:], strict=True))
            if any(crypto.needs_rotation(token) for token in tokens.values()):
                obj = model(pk=row[0])
                for name, token in tokens.items():
                    setattr(obj, name, crypto.decrypt(token))
                stale.append(obj)
        if stale:
            names = [f.attname for f in encrypted] + [f.hash_field for f in encrypted]
            model._base_manager.bulk_update(stale, names)
            changed += len(stale)
