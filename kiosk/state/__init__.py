"""Kiosk state: plain Python models of sessions and flows (QObject signals at most, no widgets)."""
