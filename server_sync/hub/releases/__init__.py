"""Software releases for the fleet: published bundles, channels per terminal, the heartbeat's offer."""
