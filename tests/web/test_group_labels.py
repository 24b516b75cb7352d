"""Groups are shown by their labels, in the reader's language (declared with core.N_, translated where shown)."""
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import Group

ADDONS = Path(__file__).resolve().parents[2] / "addons"  # the sample addon of tests/ is a third party's


@pytest.mark.parametrize("lang", ["es", "it"])
def test_every_declared_groups_label_is_translated_on_the_groups_page(web, lang):
    web.db.user("chief", groups=["core.group_admin"], lang=lang)
    client = web.client()
    client.login("chief")
    page = client.get("/settings/groups/").get_data(as_text=True)
    shipped = ["core", *(folder.name for folder in ADDONS.iterdir() if (folder / "security.py").exists())]
    declared = web.db.system().scalars(select(Group.label).where(Group.addon.in_(shipped))).all()
    assert len(declared) > 10
    untranslated = [label for label in declared if f">{label}<" in page]
    assert untranslated == []
    assert {"es": "CRM: comercial", "it": "CRM: venditore"}[lang] in page
