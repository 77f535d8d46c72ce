"""The citizen kiosk: a locked-down PySide6 touch application."""
