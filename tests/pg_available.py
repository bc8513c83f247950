"""Exit 0 when the PostgreSQL server named by DATABASE_URL answers (used by `make test`)."""

import os
import sys

import dj_database_url
import psycopg


def main() -> int:
    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    try:
        psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=int(cfg["PORT"] or 5432),
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
