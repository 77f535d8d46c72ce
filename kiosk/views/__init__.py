"""Kiosk views: Qt widgets over kiosk.state; never touch drivers or the database."""
