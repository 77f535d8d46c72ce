"""The central hub: REST API, tracking page, analytics, metrics (no terminal code, no Qt)."""
