"""Open311 GeoReport v2 on the hub (`/open311/v2/…`), with mySociety's servicerequestupdates extension.

`api` is the router, `service` maps the catalogue and the requests to GeoReport's shapes and files
Open311 POSTs through `services.submissions.submit`, `keys` holds the clients' API keys (hashed,
rate-limited), `render` writes the JSON and XML bodies. See docs/open311.md.
"""
