"""Hub business logic, one module per resource; functions take a Session keyword-only."""
