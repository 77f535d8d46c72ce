"""Both ends of the wire: protocol, terminal store and outbox, sync agent, hub client, and the hub."""

__version__ = "0.1.0"
