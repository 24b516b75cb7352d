"""Accounting services: every rule lives here; views, the JSON API, the CLI, jobs and tests call them.

They are called as every service is (docs/services.md): the session, then ``company_id`` when no record
names the company, then the records worked on as instances (``post_invoice(session, invoice)``), then
keyword-only amounts, dates, options and field values, a related record in a field value by its id
(``create_invoice(session, partner_id=partner.id, lines=[...])``).
"""
