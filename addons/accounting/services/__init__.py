"""Accounting services: every rule lives here; views, the JSON API, the CLI, jobs and tests call them."""
