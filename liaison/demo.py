"""Demo regions, organisations and one login per role (password: liaison-demo-2024)."""

from liaison.models import Organization, Region, User

DEMO_PASSWORD = "liaison-demo-2024"

# (code, name, level, parent code) — official division codes; townships use 9-digit codes.
REGIONS = [
    ("430000", "湖南省", 1, None),
    ("430100", "长沙市", 2, "430000"),
    ("430181", "浏阳市", 3, "430100"),
    ("430181118", "永安镇", 4, "430181"),
    ("430200", "株洲市", 2, "430000"),
    ("430211", "天元区", 3, "430200"),
    ("430211004", "嵩山路街道", 4, "430211"),
    ("430212", "渌口区", 3, "430200"),
    ("430212100", "渌口镇", 4, "430212"),
    ("430400", "衡阳市", 2, "430000"),
    ("430422", "衡南县", 3, "430400"),
    ("430422100", "云集街道", 4, "430422"),
    ("430426", "祁东县", 3, "430400"),
    ("430426100", "洪桥街道", 4, "430426"),
    ("430900", "益阳市", 2, "430000"),
    ("430902", "资阳区", 3, "430900"),
    ("430902101", "沙头镇", 4, "430902"),
    ("430903", "赫山区", 3, "430900"),
    ("430903001", "赫山街道", 4, "430903"),
    ("430922", "桃江县", 3, "430900"),
    ("431100", "永州市", 2, "430000"),
    ("431102", "零陵区", 3, "431100"),
    ("431103", "冷水滩区", 3, "431100"),
]

ORGANIZATIONS = [
    ("430200", "handling_unit", "株洲市住房和城乡建设局", "市住建局"),
    ("430200", "handling_unit", "株洲市教育局", "市教育局"),
    ("430200", "handling_unit", "株洲市交通运输局", "市交通局"),
    ("430200", "handling_unit", "株洲市卫生健康委员会", "市卫健委"),
    ("430200", "handling_unit", "株洲市农业农村局", "市农业农村局"),
    ("430200", "special_committee", "株洲市人大常委会城建环资工作委员会", "城建环资委"),
    ("430200", "working_body", "株洲市人大常委会代表工作委员会", "代表工委"),
    ("430400", "handling_unit", "衡阳市住房和城乡建设局", "市住建局"),
    ("430400", "handling_unit", "衡阳市教育局", "市教育局"),
    ("430400", "working_body", "衡阳市人大常委会代表工作委员会", "代表工委"),
    ("431100", "handling_unit", "永州市交通运输局", "市交通局"),
    ("431100", "working_body", "永州市人大常委会代表工作委员会", "代表工委"),
    ("430903", "handling_unit", "赫山区住房和城乡建设局", "区住建局"),
]

USERS = [
    # username, display name, role, region code, organisation name, mobile, superuser
    ("admin", "系统管理员", User.Role.STAFF, "430000", None, "", True),
    ("staff_hn", "省人大代表工委 王敏", User.Role.STAFF, "430000", None, "13800000001", False),
    ("staff_zz", "株洲市人大代表工委 李娟", User.Role.STAFF, "430200", None, "13800000002", False),
    ("staff_hy", "衡阳市人大代表工委 陈刚", User.Role.STAFF, "430400", None, "13800000003", False),
    ("staff_yz", "永州市人大代表工委 周萍", User.Role.STAFF, "431100", None, "13800000004", False),
    ("unit_zz_zj", "株洲市住建局 办理专员", User.Role.UNIT, None, "株洲市住房和城乡建设局", "13800000011", False),
    ("unit_zz_jy", "株洲市教育局 办理专员", User.Role.UNIT, None, "株洲市教育局", "13800000012", False),
    ("unit_hy_zj", "衡阳市住建局 办理专员", User.Role.UNIT, None, "衡阳市住房和城乡建设局", "13800000013", False),
    ("manager_zz", "嵩山路街道联络站 刘芳", User.Role.STATION_MANAGER, "430211004", None, "13800000021", False),
    ("manager_hs", "赫山街道联络站 黄伟", User.Role.STATION_MANAGER, "430903001", None, "13800000022", False),
]


def load(stdout):
    regions = {}
    for code, name, level, parent in REGIONS:
        region, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": regions.get(parent)}
        )
        regions[code] = region
    orgs = {}
    for region_code, kind, name, short in ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(
            region=regions[region_code], name=name, defaults={"kind": kind, "short_name": short}
        )
        orgs[name] = org
    for username, display, role, region_code, org_name, mobile, superuser in USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            display_name=display,
            role=role,
            region=regions.get(region_code) if region_code else None,
            organization=orgs.get(org_name) if org_name else None,
            mobile=mobile,
            is_staff=role == User.Role.STAFF,
            is_superuser=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    stdout.write(f"regions: {Region.objects.count()}, organisations: {Organization.objects.count()}")
