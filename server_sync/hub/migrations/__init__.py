"""Alembic migrations of the hub's database, shipped in the package so a hub migrates itself."""
