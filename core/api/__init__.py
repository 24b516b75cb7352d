"""The JSON API: every model with a generic view, through the same services and permissions as the web UI.

Modules, one job each: :mod:`.readable` (which fields a user may read), :mod:`.payloads` (a record as JSON,
also for webhooks).
"""
