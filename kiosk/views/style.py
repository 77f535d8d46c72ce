"""The kiosk's default look: large type, strong contrast, big targets (A11Y's themes override it)."""

from __future__ import annotations

DEFAULT_QSS = """
QWidget { font-size: 22px; color: #1a1a1a; background: #f7f7f4; }
#Header { background: #0b4f8a; }
#Header QLabel { color: #ffffff; background: transparent; font-size: 26px; font-weight: bold; }
#Header QPushButton { background: #ffffff; color: #0b4f8a; border-radius: 8px; padding: 8px 18px; font-weight: bold; }
#TimeoutWarning { background: #fff1b8; border-bottom: 3px solid #8a6d00; }
#TimeoutWarning QLabel { background: transparent; font-weight: bold; }
#LeaveConfirm { background: #fff1b8; border-bottom: 3px solid #8a6d00; }
#LeaveConfirm QLabel { background: transparent; font-weight: bold; }
QLabel#Heading { font-size: 34px; font-weight: bold; color: #0b2e4f; }
QLabel#Subheading { font-size: 26px; font-weight: bold; color: #0b2e4f; margin-top: 8px; }
QLabel#Office { font-size: 24px; color: #333333; }
QLabel#Notice { background: #e7f0fa; border-left: 6px solid #0b4f8a; padding: 10px; }
QLabel#Error { background: #fde8e8; border-left: 6px solid #a30000; color: #7a0000; padding: 10px; font-weight: bold; }
QLabel#ReceiptNumber { font-size: 44px; font-weight: bold; color: #0b2e4f; }
QLabel#ReceiptNumberLarge { font-size: 60px; font-weight: bold; color: #0b2e4f; }
QLabel#ReceiptCode { font-size: 30px; font-weight: bold; }
QPushButton { background: #ffffff; color: #0b2e4f; border: 2px solid #0b4f8a; border-radius: 10px; padding: 10px 16px; }
QPushButton:pressed { background: #cfe0f2; }
QPushButton:checked { background: #0b4f8a; color: #ffffff; }
QPushButton:disabled { color: #6b6b6b; border-color: #8c8c8c; }
QPushButton[kind="tile"] { font-size: 26px; font-weight: bold; background: #0b4f8a; color: #ffffff; }
QPushButton[kind="primary"] { font-size: 26px; font-weight: bold; background: #1d6b2e; color: #ffffff; border-color: #14501f; }
QPushButton[kind="secondary"] { font-size: 24px; font-weight: bold; border-width: 3px; }
QPushButton[kind="list"] { text-align: left; padding-left: 20px; }
QPushButton[kind="smiley"] { font-size: 26px; font-weight: bold; }
QPushButton[kind="key"] { font-size: 24px; padding: 4px; border-radius: 6px; }
QLineEdit, QPlainTextEdit { background: #ffffff; border: 2px solid #4d4d4d; border-radius: 6px; padding: 6px; }
QLineEdit:focus, QPlainTextEdit:focus { border: 3px solid #0b4f8a; }
QLineEdit[readOnly="true"] { background: #ececec; }
QCheckBox::indicator { width: 36px; height: 36px; }
#OnScreenKeyboard { background: #dcdcdc; }
"""
