"""Alembic migrations of the terminal store, run by Store() at open."""
