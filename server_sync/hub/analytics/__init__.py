"""Feedback analytics on the hub: satisfaction index, time patterns, alerts, open data, /metrics."""
