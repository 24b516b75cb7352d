"""The chatter of every business record: messages, internal notes, scheduled activities, followers, attachments.

Each row points at its record by table name and id (``res_model``,
``res_id``), so any model gets a chatter without a column of its own. A
user sees and writes a record's chatter only when they may read the record
itself, as their session reads it (record rules and companies apply):
:mod:`core.chatter.services` checks that before every read and write.
"""
