"""Fixtures of the incoming-mail tests: a sales alias and a team in the main company, an attachment store."""
from __future__ import annotations

import pytest

from addons.crm.models import Team
from core.chatter.storage import AttachmentStore
from core.mail_in.models import MailAlias


@pytest.fixture
def store(tmp_path):
    return AttachmentStore(tmp_path / "attachments", 20 * 1024 * 1024)


@pytest.fixture
def sales(db):
    """The main company with a sales team and the alias sales@example.com creating leads; returns ``db``."""
    with db.system() as session:
        session.add_all([Team(company_id=db.main_company.id, name="Sales"),
                         MailAlias(company_id=db.main_company.id, local_part="sales", domain="example.com",
                                   target="crm.lead")])
        session.commit()
    return db
