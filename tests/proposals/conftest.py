"""Fixtures of the proposals tests: a 株洲 congress, deputies with logins, handling units, and a helper that
drives a proposal through the services to any state."""

import datetime

import pytest
from django.utils import timezone

from liaison.models import Organization, User
from proposals import services
from proposals.models import Contact, Proposal
from tests.factories import CongressFactory, MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def congress(regions):
    return CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会", term=16)


@pytest.fixture
def deputy_user(congress):
    user = UserFactory(username="deputy_zz", role=User.Role.DEPUTY, display_name="张建国")
    MembershipFactory(congress=congress, deputy__name="张建国", deputy__user=user)
    return user


@pytest.fixture
def other_deputy_user(congress):
    user = UserFactory(username="deputy_li", role=User.Role.DEPUTY, display_name="李秀英")
    MembershipFactory(congress=congress, deputy__name="李秀英", deputy__user=user)
    return user


@pytest.fixture
def unit_jy(regions):
    org = OrganizationFactory(region=regions["zhuzhou"], name="株洲市教育局")
    return UserFactory(username="unit_jy", role=User.Role.UNIT, organization=org)


@pytest.fixture
def unit_hy(regions):
    org = OrganizationFactory(region=regions["hengyang"], name="衡阳市住房和城乡建设局")
    return UserFactory(username="unit_hy", role=User.Role.UNIT, organization=org)


@pytest.fixture
def committee(regions):
    return OrganizationFactory(
        region=regions["zhuzhou"], name="株洲市人大常委会城建环资工作委员会", kind=Organization.Kind.SPECIAL_COMMITTEE
    )


class Flow:
    """Drives a proposal through the real services, as the users would."""

    def __init__(self, congress, deputy_user, staff, unit_user, co_unit_user=None):
        self.congress, self.deputy_user, self.staff = congress, deputy_user, staff
        self.unit_user, self.co_unit_user = unit_user, co_unit_user

    def draft(self, title="关于加快老旧小区改造的建议", content="建议加快推进天元区老旧小区改造，增设电梯和停车位。"):
        return services.proposal_create_draft(
            actor=self.deputy_user,
            lead_deputy=self.deputy_user.deputy,
            congress=self.congress,
            title=title,
            content=content,
        )

    def submitted(self, **kwargs):
        return services.proposal_submit(actor=self.deputy_user, proposal=self.draft(**kwargs))

    def accepted(self, **kwargs):
        return services.proposal_accept(actor=self.staff, proposal=self.submitted(**kwargs))

    def assigned(self, **kwargs):
        co = [self.co_unit_user.organization] if self.co_unit_user else []
        return services.proposal_assign(
            actor=self.staff,
            proposal=self.accepted(**kwargs),
            lead_unit=self.unit_user.organization,
            co_units=co,
        )

    def contact(self, proposal, stage, summary="登门听取代表意见"):
        return services.contact_record(
            actor=self.unit_user,
            proposal=proposal,
            stage=stage,
            way=Contact.Way.VISIT,
            contacted_on=timezone.localdate(),
            summary=summary,
        )

    def contacted(self, proposal=None, **kwargs):
        """办前 and 办中 recorded: ready for the reply."""
        proposal = proposal or self.assigned(**kwargs)
        self.contact(proposal, Contact.Stage.BEFORE)
        self.contact(proposal, Contact.Stage.DURING, summary="邀请代表察看办理进展")
        return proposal

    def replied(self, reply_class="A", proposal=None, **kwargs):
        proposal = self.contacted(proposal=proposal, **kwargs) if proposal is None else proposal
        promised = timezone.localdate() + datetime.timedelta(days=90) if reply_class == "B" else None
        return services.proposal_reply(
            actor=self.unit_user,
            proposal=proposal,
            reply_class=reply_class,
            text="已列入年度计划。",
            promised_on=promised,
        )

    def rated(self, rating="satisfied", reply_class="A", **kwargs):
        proposal = self.replied(reply_class=reply_class, **kwargs)
        return services.proposal_rate(
            actor=self.deputy_user,
            proposal=proposal,
            rating=rating,
            comment="" if rating != "unsatisfied" else "未解决",
        )

    def closed(self, **kwargs):
        proposal = self.rated(**kwargs)
        self.contact(proposal, Contact.Stage.AFTER, summary="回访代表，听取对答复的意见")
        return services.proposal_close(actor=self.staff, proposal=proposal)


@pytest.fixture
def flow(congress, deputy_user, staff_zz, unit_zz, unit_jy):
    return Flow(congress, deputy_user, staff_zz, unit_zz, unit_jy)


def reload(proposal):
    return Proposal.objects.get(pk=proposal.pk)
