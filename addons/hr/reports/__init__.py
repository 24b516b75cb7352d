"""HR reports: headcount (by department and month, with hires and leavers), leave balances, absence rate.

Each is computed by aggregate SELECTs in a constant number of queries, run in the user's session (so model
access and record rules decide what is counted), into a :class:`core.reports.Report` that pages, charts and
exports share.
"""
