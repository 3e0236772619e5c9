"""README.md's table of demo logins is what `manage.py demo_logins` prints from freshly loaded demo data."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

README = Path(settings.BASE_DIR) / "README.md"


def test_readme_demo_logins_block_equals_the_command_output_on_fresh_demo_data(db):
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    table = out.getvalue()
    assert table.count("\n| `") == 13  # every demo login, none forgotten
    assert "| `deputy_zz` | 人大代表 |" in table
    block = re.search(r"<!-- demo-logins:start -->\n(.*?)<!-- demo-logins:end -->", README.read_text(), re.S)
    assert block is not None, "README.md lacks the demo-logins markers"
    assert block.group(1) == table, "README.md is stale: paste the output of `manage.py demo_logins`"
