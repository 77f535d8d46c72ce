"""Open data on the hub (`/opendata/`): a page and a DCAT-AP catalogue (JSON-LD) of datasets a national
portal can harvest — the service catalogue, signals, satisfaction and request volumes, aggregated in
SQL with small cells suppressed. See docs/open311.md ("Open data")."""
