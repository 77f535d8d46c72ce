"""Alembic revision scripts of the terminal store."""
