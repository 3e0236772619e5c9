"""Factories and helpers for vote tests: sessions are built through the services, as staff would."""

import datetime
from decimal import Decimal

from liaison.models import User
from tests.factories import CongressFactory, MembershipFactory, OrganizationFactory, UserFactory
from votes import services
from votes.models import Candidate

CANDIDATES = [
    ("安全饮水巩固提升工程", "320.00"),
    ("交通设施完善工程", "450.00"),
    ("集镇污水管网建设", "280.00"),
    ("农贸市场提质改造", "150.00"),
    ("村级养老服务站建设", "90.00"),
]


def make_congress(region, deputies=5, name=None):
    congress = CongressFactory(region=region, level=5, name=name or f"{region.name}人民代表大会")
    seats = [MembershipFactory(congress=congress) for _ in range(deputies)]
    return congress, seats


def make_session(*, actor, congress, seats=2, candidates=3, department=None, **options):
    department = department or OrganizationFactory(region=congress.region)
    session = services.session_create(
        actor=actor,
        congress=congress,
        title=options.pop("title", "2024年民生实事项目票决"),
        meeting=options.pop("meeting", "第十九届人民代表大会第三次会议"),
        meeting_date=options.pop("meeting_date", datetime.date(2024, 4, 26)),
        seats=seats,
        **options,
    )
    for title, budget in CANDIDATES[:candidates]:
        services.candidate_add(
            actor=actor,
            session=session,
            title=title,
            description=f"{title}：实施内容说明",
            budget=Decimal(budget),
            department=department,
            timeline="2024年5月至12月",
            beneficiaries="全镇群众约3万人",
            source=Candidate.Source.CITIZEN,
        )
    return session


def deputy_user(membership):
    user = UserFactory(role=User.Role.DEPUTY, display_name=membership.deputy.name)
    membership.deputy.user = user
    membership.deputy.save(update_fields=["user"])
    return user


def choices_for(session, *pattern):
    """``pattern`` lists a choice per candidate in position order."""
    ids = list(session.candidates.order_by("position").values_list("pk", flat=True))
    return {str(cid): choice for cid, choice in zip(ids, pattern, strict=True)}


def cast_electronic(session, membership, *pattern, staff=None):
    user = membership.deputy.user or deputy_user(membership)
    services.checkin_register(actor=staff, session=session, membership=membership)
    return services.ballot_cast(actor=user, session=session, choices=choices_for(session, *pattern))


def cast_paper(session, membership, serial, *pattern, staff=None):
    services.checkin_register(actor=staff, session=session, membership=membership)
    services.paper_ballot_issue(actor=staff, session=session, membership=membership)
    return services.paper_ballot_enter(
        actor=staff, session=session, serial=serial, choices=choices_for(session, *pattern)
    )
