"""办前、办中、办后: three contacts with the deputy. 办前 and 办中 before the reply is accepted; 办后 (the deputy's
feedback on the reply) after the reply and before 办结."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.errors import ApplicationError
from proposals import services
from proposals.models import Contact, Proposal

pytestmark = pytest.mark.django_db
S = Proposal.Status


def reply(flow, proposal):
    return services.proposal_reply(actor=flow.unit_user, proposal=proposal, reply_class="A", text="已解决。")


def test_unit_cannot_reply_with_the_before_contact_alone(flow):
    proposal = flow.assigned()
    flow.contact(proposal, Contact.Stage.BEFORE)
    with pytest.raises(ApplicationError) as exc:
        reply(flow, proposal)
    assert (exc.value.code, exc.value.message, exc.value.status_code) == (
        "during_contact_missing",
        "答复前须先与代表进行办中沟通并登记。",
        400,
    )
    flow.contact(proposal, Contact.Stage.DURING)
    assert reply(flow, proposal).status == S.REPLIED


def test_unit_cannot_reply_with_the_during_contact_alone(flow):
    proposal = flow.assigned()
    flow.contact(proposal, Contact.Stage.DURING)
    with pytest.raises(ApplicationError) as exc:
        reply(flow, proposal)
    assert exc.value.code == "before_contact_missing"


def test_after_contact_is_refused_before_the_reply(flow):
    proposal = flow.contacted()
    with pytest.raises(ApplicationError) as exc:
        flow.contact(proposal, Contact.Stage.AFTER)
    assert (exc.value.code, exc.value.message) == ("after_contact_before_reply", "办后联系须在答复之后、办结之前登记。")
    assert not Contact.objects.filter(stage=Contact.Stage.AFTER).exists()


def test_after_contact_is_recorded_after_the_reply_and_before_the_rating(flow):
    proposal = flow.replied()
    contact = flow.contact(proposal, Contact.Stage.AFTER)
    assert contact.stage == Contact.Stage.AFTER
    rated = services.proposal_rate(actor=flow.deputy_user, proposal=proposal, rating="satisfied")
    assert services.proposal_close(actor=flow.staff, proposal=rated).status == S.CLOSED


def test_after_contact_may_not_be_dated_before_the_reply(flow):
    proposal = flow.replied()
    with pytest.raises(ApplicationError) as exc:
        services.contact_record(
            actor=flow.unit_user,
            proposal=proposal,
            stage=Contact.Stage.AFTER,
            way=Contact.Way.PHONE,
            contacted_on=timezone.localdate() - datetime.timedelta(days=1),
            summary="回访",
        )
    assert (exc.value.code, exc.value.message) == ("after_contact_date_before_reply", "办后联系日期不能早于答复日期。")


def test_staff_cannot_close_without_the_after_contact(flow):
    proposal = flow.rated(rating="satisfied")
    with pytest.raises(ApplicationError) as exc:
        services.proposal_close(actor=flow.staff, proposal=proposal)
    assert (exc.value.code, exc.value.message) == (
        "after_contact_missing",
        "办结前承办单位须在答复后与代表进行办后联系并登记。",
    )
    assert Proposal.objects.get(pk=proposal.pk).status == S.SATISFIED
    flow.contact(proposal, Contact.Stage.AFTER)
    assert services.proposal_close(actor=flow.staff, proposal=proposal).status == S.CLOSED


def test_the_proposal_page_refuses_an_early_after_contact_and_offers_it_after_the_reply(client, flow):
    proposal = flow.contacted()
    client.force_login(flow.unit_user)
    contact = {"stage": "after", "way": "phone", "contacted_on": timezone.localdate().isoformat(), "summary": "回访"}
    url = reverse("proposals:act", args=[proposal.pk, "contact"])
    page = client.post(url, contact, follow=True).content.decode()
    assert "办后联系须在答复之后、办结之前登记。" in page
    assert 'data-testid="after-contact-form"' not in page
    reply(flow, proposal)
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert 'data-testid="after-contact-form"' in page
    page = client.post(url, contact, follow=True).content.decode()
    assert "联系记录已保存。" in page
    assert Contact.objects.filter(assignment__proposal=proposal, stage=Contact.Stage.AFTER).count() == 1


def test_the_unit_workbench_counts_replies_awaiting_the_after_contact(flow):
    from proposals import selectors
    from proposals.workbench import cards

    proposal = flow.replied()
    flow.replied()
    card = next(c for c in cards(flow.unit_user) if c.title == "答复后待办后联系")
    assert card.count == 2
    flow.contact(proposal, Contact.Stage.AFTER)
    assert selectors.awaiting_after_contact(user=flow.unit_user).count() == 1
