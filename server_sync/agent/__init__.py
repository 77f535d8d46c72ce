"""The sync agent: drains the outbox, pulls the catalogue, sends heartbeats."""

from server_sync.agent.agent import Agent, Backoff

__all__ = ["Agent", "Backoff"]
