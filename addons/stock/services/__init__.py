"""Stock's business rules, one module per area; each service takes a session acting as a user."""
