"""HTTP routers of the hub's REST API (/api/v1); business logic lives in server_sync.hub.services."""
