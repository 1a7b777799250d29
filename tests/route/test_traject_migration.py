"""The trajectories migration copies trajecten logged before it into the new table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, text

from storage.db import Database, alembic_config, create_engine, upgrade


async def test_existing_trajecten_become_running_rows(tmp_path: Path) -> None:
    db = Database(create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite'}"))

    def to(connection: Connection, revision: str) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(to, "0009_i11_exemption_decision")
            now = "2026-03-03 08:00:00.000000"
            await connection.execute(
                text("INSERT INTO teams (id, name, created_at) VALUES (1, 'Team Werk', :n)"),
                {"n": now},
            )
            await connection.execute(
                text(
                    "INSERT INTO staff (id, telegram_user_id, display_name, team_id, active,"
                    " created_at) VALUES (1, 5, 'Sanne', 1, 1, :n)"
                ),
                {"n": now},
            )
            await connection.execute(
                text(
                    "INSERT INTO clients (id, team_id, ref, ref_key, tags, status, created_at,"
                    " updated_at) VALUES (1, 1, 'C-1', 'C1', '[]', 'aangemeld', :n, :n)"
                ),
                {"n": now},
            )
            for item_id, data in (
                (1, '{"instrument": "taalstage", "start": "2026-03-03", "end": "2026-06-03"}'),
                (2, '{"instrument": "workshop", "start": "2026-03-10", "end": null}'),
            ):
                await connection.execute(
                    text(
                        "INSERT INTO case_items (id, team_id, client_id, author_staff_id, kind,"
                        " data, created_at, agenda_status) VALUES (:i, 1, 1, 1, 'trajectory',"
                        " :d, :n, 'pending')"
                    ),
                    {"i": item_id, "d": data, "n": now},
                )
        await upgrade(db.engine)
        async with db.engine.connect() as connection:
            rows = (
                await connection.execute(
                    text(
                        'SELECT case_item_id, instrument, start, planned_end, "end", status'
                        " FROM trajectories ORDER BY case_item_id"
                    )
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            (1, "taalstage", str(date(2026, 3, 3)), str(date(2026, 6, 3)), "2026-06-03", "lopend"),
            (2, "workshop", "2026-03-10", None, None, "lopend"),
        ]
    finally:
        await db.dispose()
