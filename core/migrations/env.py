"""Alembic environment shared by the core and every addon (one branch each).

It is only run through core.lifecycle.migrations, which passes an open
connection already inside the lifecycle's transaction, so that a whole
install, upgrade or uninstall commits or rolls back as one.
"""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    transaction_per_migration=False,
    render_as_batch=connection.dialect.name == "sqlite",
    on_version_apply=context.config.attributes.get("on_version_apply"),
    target_metadata=context.config.attributes.get("target_metadata"),
    include_object=context.config.attributes.get("include_object"),
)
with context.begin_transaction():
    context.run_migrations()
