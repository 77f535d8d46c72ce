"""The central hub: REST API, admin and fleet pages, Open311, metrics (no terminal code, no Qt)."""
