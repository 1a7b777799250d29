"""Alembic environment: runs on a connection handed in by ``storage.db.upgrade``.

Run from the CLI as ``python -m bot db upgrade``; there is no alembic.ini to keep in sync.
"""

from __future__ import annotations

from alembic import context

from storage.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `python -m bot db upgrade`")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    # SQLite cannot ALTER constraints; batch mode recreates the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
