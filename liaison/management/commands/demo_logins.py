"""Print the demo logins as a Markdown table (the block between the demo-logins markers in README.md)."""

from django.core.management.base import BaseCommand
from django.db.models import Prefetch

from liaison.demo import DEMO_PASSWORD
from liaison.models import Region, User

ROLE_ORDER = [User.Role.STAFF, User.Role.UNIT, User.Role.DEPUTY, User.Role.STATION_MANAGER]


def _region(user):
    if user.region_id:
        return user.region.name
    if user.organization_id:
        return user.organization.name
    # A deputy's account has no region of its own: the regions of the congresses the deputy sits in.
    return "、".join(dict.fromkeys(r.name for r in user.deputy_regions)) or "—"


def demo_logins_table():
    users = (
        User.objects.filter(is_active=True)
        .select_related("region", "organization")
        .prefetch_related(
            Prefetch(
                "deputy__memberships__congress__region",
                queryset=Region.objects.order_by("level"),
            )
        )
    )
    for user in users:
        deputy = getattr(user, "deputy", None)
        user.deputy_regions = [m.congress.region for m in deputy.memberships.all()] if deputy is not None else []
    users = sorted(users, key=lambda u: (not u.is_superuser, ROLE_ORDER.index(u.role), u.username))
    lines = ["| 登录名 | 角色 | 地区/单位 | 密码 |", "| --- | --- | --- | --- |"]
    for user in users:
        role = "超级管理员" if user.is_superuser else user.get_role_display()
        note = f"`{DEMO_PASSWORD}`" if user.check_password(DEMO_PASSWORD) else "（已修改，非演示密码）"
        lines.append(f"| `{user.username}` | {role} | {_region(user)} | {note} |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "以 Markdown 表格列出演示账号（README.md 中 demo-logins 标记之间的内容）"

    def handle(self, *args, **options):
        self.stdout.write(demo_logins_table(), ending="")
