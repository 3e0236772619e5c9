"""Mobiles are encrypted at rest and found again through their keyed hash (issue 11, docs/security.md).

Raw SQL is the witness: whatever path writes a row (a factory's save, a roster import's bulk writes, the QR form,
a 转12345 work order, the retention job), the stored columns hold no 11-digit number.
"""

import io
import re

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.forms import modelform_factory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies.models import Deputy
from hotline import services as hotline_services
from hotline.models import HotlineWorkOrder
from liaison import crypto
from liaison.fields import decrypt_token_rows, encrypt_clear_rows
from liaison.models import User
from stations import services as station_services
from stations.models import Opinion
from tests.deputies.conftest import congresses, roster_row, xlsx_bytes  # noqa: F401 (fixture)
from tests.deputies.test_roster_import import run_import
from tests.factories import MembershipFactory, UserFactory
from tests.stations.factories import OpinionCategoryFactory, OpinionFactory, StationFactory

pytestmark = pytest.mark.django_db

WHOLE_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
TABLES = {User: "liaison_user", Deputy: "deputies_deputy", Opinion: "stations_opinion"}


def raw_rows(model):
    """(mobile, mobile_hash) exactly as PostgreSQL stores them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mobile, mobile_hash FROM {TABLES[model]} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


def assert_stored_encrypted(model, *mobiles):
    rows = [row for row in raw_rows(model) if row[0]]
    assert rows, "no row with a mobile"
    for mobile, mobile_hash in rows:
        assert not WHOLE_MOBILE.search(mobile) and not WHOLE_MOBILE.search(mobile_hash)
        assert mobile.startswith("e1:") and len(mobile) == 61
    hashes = {mobile_hash for _mobile, mobile_hash in rows}
    for mobile in mobiles:
        assert crypto.lookup_hash(mobile) in hashes


@pytest.fixture
def station(regions):
    return StationFactory(region=regions["tianyuan"], name="嵩山路街道代表联络站")


@pytest.fixture
def category(db):
    return OpinionCategoryFactory(code="road", name="道路交通")


# ---------------------------------------------------------------- the cipher itself


def test_a_mobile_round_trips_and_two_encryptions_differ():
    first, second = crypto.encrypt("13812345678"), crypto.encrypt("13812345678")
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == "13812345678"
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_the_lookup_hash_is_keyed_and_stable(settings):
    value = crypto.lookup_hash("13812345678")
    assert value == crypto.lookup_hash(" 13812345678 ") and len(value) == 64
    settings.PERSONAL_DATA_KEY = "another-key"
    assert crypto.lookup_hash("13812345678") != value


def test_a_wrong_key_gives_a_clear_error_not_garbage(settings, regions):
    UserFactory(username="li", mobile="13812345678")
    settings.PERSONAL_DATA_KEY = "not-the-key-it-was-written-with"
    with pytest.raises(crypto.PersonalDataKeyError, match="neither PERSONAL_DATA_KEY nor in PERSONAL_DATA_OLD_KEYS"):
        User.objects.get(username="li")


def test_an_altered_token_is_refused():
    token = crypto.encrypt("13812345678")
    altered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with pytest.raises(crypto.PersonalDataKeyError, match="failed authentication"):
        crypto.decrypt(altered)


def test_a_clear_number_left_in_an_encrypted_column_is_an_error_not_a_silent_read():
    with pytest.raises(crypto.PersonalDataKeyError, match="run the migrations"):
        crypto.decrypt("13812345678")


# ---------------------------------------------------------------- every write path stores ciphertext


def test_a_saved_user_deputy_and_opinion_store_only_ciphertext_and_read_back_clear(regions, station):
    user = UserFactory(username="li", mobile="13812345678")
    membership = MembershipFactory(deputy__mobile="13900000009")
    opinion = OpinionFactory(station=station, mobile="13700000007")

    assert_stored_encrypted(User, "13812345678")
    assert_stored_encrypted(Deputy, "13900000009")
    assert_stored_encrypted(Opinion, "13700000007")
    assert User.objects.get(pk=user.pk).mobile == "13812345678"
    assert Deputy.objects.get(pk=membership.deputy_id).mobile == "13900000009"
    fresh = Opinion.objects.get(pk=opinion.pk)
    assert (fresh.mobile, fresh.masked_mobile) == ("13700000007", "137****0007")


def test_roster_import_creates_and_updates_encrypted_mobiles(staff_zz, congresses):  # noqa: F811
    result = run_import(staff_zz, xlsx_bytes([roster_row(**{"手机号": "13900000001"})]))
    assert not result.has_validation_errors()
    assert_stored_encrypted(Deputy, "13900000001")

    result = run_import(staff_zz, xlsx_bytes([roster_row(**{"手机号": "13900000002"})]))  # bulk_update path
    assert not result.has_validation_errors() and result.totals["update"] == 1
    assert_stored_encrypted(Deputy, "13900000002")
    assert raw_rows(Deputy)[0][1] == crypto.lookup_hash("13900000002")
    assert Deputy.objects.get(mobile="13900000002").code == "ZZ16-001"


def test_qr_form_submission_stores_the_citizens_mobile_encrypted(client, station, category):
    response = client.post(
        reverse("stations:opinion_station", args=[station.pk]),
        {"category": category.pk, "content": "小区门口路灯坏了三个月，晚上出行不便", "mobile": "13698765432"},
        REMOTE_ADDR="10.1.1.1",
    )
    assert response.status_code == 302
    assert_stored_encrypted(Opinion, "13698765432")
    opinion = Opinion.objects.get()
    assert opinion.mobile == "13698765432"
    assert "13698765432" not in opinion.content_hash  # the dedupe hash is built on the keyed hash


def test_work_orders_keep_the_citizens_mobile_encrypted_and_send_it_clear(regions, station, category, staff_zz):
    opinion = OpinionFactory(station=station, category=category, mobile="13912345678")
    hotline_services.opinion_forward_to_hotline(actor=staff_zz, opinion=opinion)
    order = HotlineWorkOrder.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload::text FROM stations_hotlineworkorder")
        stored = cursor.fetchone()[0]
    assert not WHOLE_MOBILE.search(stored)
    assert crypto.is_token(order.payload["mobile"])
    assert hotline_services.outbound_body(order)["mobile"] == "13912345678"


def test_retention_erase_empties_the_mobile_and_its_hash(regions, station, category, settings):
    from django.utils import timezone

    opinion = OpinionFactory(station=station, category=category, mobile="13812345678")
    Opinion.objects.filter(pk=opinion.pk).update(created_at=timezone.now() - timezone.timedelta(days=4000))
    assert station_services.opinion_erase_expired_personal_data() == 1
    assert raw_rows(Opinion) == [("", "")]


# ---------------------------------------------------------------- look-ups go through the hash


def test_filtering_on_a_mobile_is_routed_to_the_hash_column(regions, station):
    user = UserFactory(username="li", mobile="13812345678")
    UserFactory(username="wang", mobile="")
    OpinionFactory(station=station, mobile="13812345678", deputy=None)

    with CaptureQueriesContext(connection) as queries:
        assert list(User.objects.filter(mobile="13812345678")) == [user]
    assert '"liaison_user"."mobile_hash" IN' in queries[0]["sql"]
    assert list(User.objects.filter(mobile__in=["13812345678", "13000000000"])) == [user]
    assert list(User.objects.filter(mobile="").values_list("username", flat=True)) == ["wang"]
    assert list(User.objects.filter(mobile_hash=crypto.lookup_hash("13812345678"))) == [user]
    assert Opinion.objects.filter(mobile="13812345678").count() == 1


def test_a_queryset_update_of_the_mobile_writes_its_hash_too(regions, station):
    from django.db.models import F

    UserFactory(username="li", mobile="13812345678")
    membership = MembershipFactory(deputy__mobile="13900000009")
    OpinionFactory(station=station, mobile="13700000007", deputy=None)

    assert User.objects.filter(username="li").update(mobile="13811112222") == 1
    assert Deputy.objects.filter(pk=membership.deputy_id).update(mobile="13922223333") == 1
    assert Opinion.objects.update(mobile="13733334444") == 1
    assert_stored_encrypted(User, "13811112222")
    assert User.objects.get(mobile="13811112222").username == "li"  # found by the new number's hash
    assert not User.objects.filter(mobile="13812345678").exists()
    assert Deputy.objects.filter(mobile="13922223333").count() == 1
    assert Opinion.objects.filter(mobile="13733334444").count() == 1
    assert User.objects.filter(username="li").update(mobile="") == 1
    assert raw_rows(User)[0] == ("", "")
    with pytest.raises(FieldError):
        Opinion.objects.update(mobile=F("citizen_name"))


def test_a_partial_search_on_the_ciphertext_raises_instead_of_finding_nothing(regions):
    with pytest.raises(FieldError):
        list(User.objects.filter(mobile__icontains="1381234"))
    with pytest.raises(FieldError):
        list(Deputy.objects.filter(mobile__startswith="139"))


def test_login_by_mobile_number_still_works(client, regions, password):
    UserFactory(username="li", mobile="13812345678", region=regions["zhuzhou"])
    response = client.post(reverse("login"), {"username": "13812345678", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="li").pk)


def test_a_second_user_with_the_same_mobile_is_rejected_by_the_database(regions):
    UserFactory(username="li", mobile="13812345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="wang", mobile="13812345678")
    UserFactory(username="zhao", mobile="")
    UserFactory(username="qian", mobile="")  # empty mobiles do not collide


def test_a_form_editing_the_mobile_reports_a_duplicate_in_chinese(regions):
    UserFactory(username="li", mobile="13812345678")
    form = modelform_factory(User, fields=["username", "mobile"])({"username": "wang", "mobile": "13812345678"})
    assert not form.is_valid()
    assert form.non_field_errors() == ["该手机号已被其他账号使用。"]
    with pytest.raises(ValidationError):
        User(username="zhao", mobile="13812345678", password="x").full_clean()


def test_admin_search_finds_a_user_and_a_deputy_by_the_whole_mobile(client, regions):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    UserFactory(username="li", mobile="13812345678")
    MembershipFactory(deputy__name="王秀英", deputy__mobile="13900000009")
    client.force_login(root)

    response = client.get(reverse("admin:liaison_user_changelist"), {"q": "13812345678"})
    assert response.status_code == 200
    assert [u.username for u in response.context["cl"].result_list] == ["li"]
    response = client.get(reverse("admin:deputies_membership_changelist"), {"q": "13900000009"})
    assert [m.deputy.name for m in response.context["cl"].result_list] == ["王秀英"]
    response = client.get(reverse("admin:liaison_user_changelist"), {"q": "1381234"})  # partial: no match, no error
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []


# ---------------------------------------------------------------- key rotation


def test_after_a_key_change_old_rows_still_read_match_and_log_in_until_rotated(client, regions, password, settings):
    UserFactory(username="li", mobile="13812345678", region=regions["zhuzhou"])
    old_key = settings.PERSONAL_DATA_KEY
    settings.PERSONAL_DATA_KEY, settings.PERSONAL_DATA_OLD_KEYS = "the-new-personal-data-key", [old_key]

    assert User.objects.get(mobile="13812345678").mobile == "13812345678"
    response = client.post(reverse("login"), {"username": "13812345678", "password": password})
    assert response.status_code == 302

    out = io.StringIO()
    call_command("rotate_personal_data", stdout=out)
    assert "liaison.User: 1" in out.getvalue()
    settings.PERSONAL_DATA_OLD_KEYS = []
    assert User.objects.get(mobile="13812345678").username == "li"
    assert raw_rows(User)[-1][1] == crypto.lookup_hash("13812345678")


# ---------------------------------------------------------------- the data migration


def historical_user_model():
    """liaison.User as the data migration sees it: ``mobile`` still a plain text column."""
    state = MigrationExecutor(connection).loader.project_state(("liaison", "0005_user_mobile_hash"))
    return state.apps.get_model("liaison", "User")


def test_the_migration_function_encrypts_clear_rows_in_batches_and_reverses(regions):
    for n in range(5):
        UserFactory(username=f"u{n}", mobile="")
    UserFactory(username="none", mobile="")
    with connection.cursor() as cursor:  # rows as they were before the migration: clear numbers, no hash
        cursor.execute(
            "UPDATE liaison_user SET mobile = '1380000000' || right(username, 1), mobile_hash = '' "
            "WHERE username LIKE 'u_'"
        )
    model = historical_user_model()

    assert encrypt_clear_rows(model, batch_size=2) == 5
    assert encrypt_clear_rows(model, batch_size=2) == 0  # safe to re-run
    assert_stored_encrypted(User, *[f"1380000000{n}" for n in range(5)])
    assert User.objects.get(mobile="13800000003").username == "u3"

    assert decrypt_token_rows(model, batch_size=2) == 5
    clear = {mobile for mobile, _hash in raw_rows(User) if mobile}
    assert clear == {f"1380000000{n}" for n in range(5)}
    assert {h for _mobile, h in raw_rows(User)} == {""}


def test_check_deploy_refuses_a_short_or_development_key(settings):
    settings.PERSONAL_DATA_KEY = "dev-personal-data-key"
    assert [e.id for e in crypto.check_personal_data_key()] == ["liaison.E101"]
    settings.PERSONAL_DATA_KEY = "k" * 31
    assert [e.id for e in crypto.check_personal_data_key()] == ["liaison.E101"]
    settings.PERSONAL_DATA_KEY = "0123456789abcdefghijklmnopqrstuvwxyz-long-enough"
    assert crypto.check_personal_data_key() == []
