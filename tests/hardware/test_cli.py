"""`python -m hardware …` technician tools, run as a technician would: in a subprocess."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
import tty
import wave
from pathlib import Path

import pytest
from escpos_decoder import decode

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["diag", "print-test", "mrz-parse", "read-id", "say", "receipt-demo"]
ICAO_TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<\n"
# A Bulgarian identity card (made-up holder, valid check digits and ЕГН), valid until 2032.
BG_TD1 = "IDBGRAA12345678<<<<<<<<<<<<<<<\n7408122F3204153BGR7408129265<2\nIVANOVA<<MARIA<GEORGIEVA<<<<<<\n"


def run(*args: str, stdin: str | None = None, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "EOBSHTINA_CONFIG"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "hardware", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=timeout,
    )


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
    if command is None:
        assert all(c in result.stdout for c in COMMANDS)


def test_receipt_demo_writes_decodable_escpos_and_a_png(tmp_path):
    out, png = tmp_path / "r.bin", tmp_path / "r.png"
    result = run("receipt-demo", "--out", str(out), "--png", str(png), "--width", "58")
    assert result.returncode == 0, result.stderr
    decoded = decode(out.read_bytes())
    assert "Удостоверение за наследници" in decoded.text
    assert decoded.of("qr") and decoded.kinds()[-1] == "cut"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_mrz_parse_prints_json():
    result = run("mrz-parse", "--today", "2010-01-01", stdin=ICAO_TD1)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["document_number"] == "D23145890" and data["surname"] == "ERIKSSON"
    assert data["birth_date"] == "1974-08-12"


@pytest.mark.parametrize(
    "text, code",
    [
        (ICAO_TD1.replace("D231458907", "D231458908"), "check_digit"),
        ("hello\n", None),
        ("", None),
    ],
)
def test_mrz_parse_refuses_bad_input_with_a_reason(text, code):
    result = run("mrz-parse", "--today", "2010-01-01", stdin=text)
    assert result.returncode == 1
    assert result.stdout == ""
    reason = json.loads(result.stderr.strip().splitlines()[-1])
    assert reason["message_bg"] and reason["message_en"]
    if code:
        assert code in reason["error"]


@pytest.mark.parametrize(
    "framing",
    [
        pytest.param(lambda t: "\x02" + t + "\x03", id="stx-etx"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.lower(), id="lower-case"),
        pytest.param(lambda t: "\x02" + t.lower().replace("\n", "\r\n") + "\x03\r\n", id="all-at-once"),
    ],
)
def test_mrz_parse_accepts_what_a_reader_sends(framing):
    # The command takes a read as the serial reader does: framed, in lower case, with CRLF ends.
    result = run("mrz-parse", "--today", "2026-11-22", stdin=framing(BG_TD1))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["egn"] == "7408129265"


def test_mrz_parse_refuses_an_expired_card():
    result = run("mrz-parse", "--today", "2020-01-01", stdin=ICAO_TD1)
    assert result.returncode == 1
    assert "expired" in result.stderr.lower()


def test_say_writes_a_wav(tmp_path):
    out = tmp_path / "say.wav"
    result = run("say", "--lang", "bg", "--text", "Вашият входящ номер е 94-00-1234", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with wave.open(str(out)) as wav:
        assert wav.getnframes() / wav.getframerate() > 1.0


def test_diag_reports_each_device_and_fails_when_one_is_offline(tmp_path):
    config = tmp_path / "terminal.toml"
    config.write_text(
        '[hardware.printer]\nbackend = "network"\nhost = "127.0.0.1"\nport = 9\ntimeout_s = 1\n'
        '[hardware.speech]\nengine = "simulated"\n',
        encoding="utf-8",
    )
    result = run("--config", str(config), "diag")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "printer" in result.stdout and "offline" in result.stdout
    assert "speech" in result.stdout

    result = run("diag", "--simulate", "--json", env={"EOBSHTINA_CONFIG": str(config)})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["devices"]["printer"]["state"] == "ok"
    assert "disk_free_bytes" in data["system"]


def test_bad_config_is_one_line_naming_file_and_key(tmp_path):
    config = tmp_path / "terminal.toml"
    config.write_text('[hardware.printer]\nbackend = "usbb"\n', encoding="utf-8")
    result = run("--config", str(config), "diag")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(config) in lines[0] and "hardware.printer.backend" in lines[0] and "usbb" in lines[0]


def test_print_test_on_a_file_printer(tmp_path):
    device = tmp_path / "lp0"
    device.touch()
    config = tmp_path / "terminal.toml"
    config.write_text(f'[hardware.printer]\nbackend = "file"\ndevice = "{device}"\ncode_page = "CP1251"\n', encoding="utf-8")
    png = tmp_path / "preview.png"
    result = run("--config", str(config), "print-test", "--png", str(png))
    assert result.returncode == 0, result.stderr
    assert "„Удостоверение за наследници“" in decode(device.read_bytes()).text
    assert png.exists()
    device.unlink()
    (tmp_path / "gone").mkdir()
    config.write_text(f'[hardware.printer]\nbackend = "file"\ndevice = "{tmp_path}/gone/x/lp0"\n', encoding="utf-8")
    result = run("--config", str(config), "print-test")
    assert result.returncode == 1 and "print failed" in result.stderr


def test_read_id_prints_the_first_document_from_a_serial_reader():
    master, slave = pty.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    process = subprocess.Popen(
        [sys.executable, "-m", "hardware", "read-id", "--serial", os.ttyname(slave), "--timeout", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    stop = threading.Event()

    def reader_device():
        # Present the card until the tool has read it (it may open the port a little later).
        while not stop.is_set():
            os.write(master, BG_TD1.replace("\n", "\r\n").encode())
            stop.wait(0.5)

    thread = threading.Thread(target=reader_device, daemon=True)
    thread.start()
    try:
        out, err = process.communicate(timeout=60)
    finally:
        stop.set()
        thread.join(timeout=5)
        os.close(slave)
        os.close(master)
    assert process.returncode == 0, err
    data = json.loads(out)
    assert (data["document_number"], data["surname"], data["egn"]) == ("AA1234567", "IVANOVA", "7408129265")


def test_mrz_parse_bulgarian_card_with_egn():
    result = run("mrz-parse", "--today", "2026-11-22", stdin=BG_TD1)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["egn"], data["egn_kind"], data["given_names"]) == ("7408129265", "egn", "MARIA GEORGIEVA")


def test_say_reports_when_nothing_was_heard(tmp_path):
    config = tmp_path / "terminal.toml"
    config.write_text(
        '[hardware.speech]\nengine = "espeak"\n'
        'player = ["sh", "-c", "cat >/dev/null; echo \'audio open error: No such device\' >&2; exit 1"]\n',
        encoding="utf-8",
    )
    result = run("--config", str(config), "say", "--text", "Проба")
    assert result.returncode == 1
    assert "not heard" in result.stderr and "audio open error" in result.stderr


@pytest.mark.parametrize(
    "args, exit_code, says",
    [
        (["mrz-parse", "--today", "2026-13-01"], 2, "not a date as YYYY-MM-DD"),
        (["say", "--lang", "fr", "--text", "Bonjour"], 2, "invalid choice: 'fr'"),
        (["say", "--text", "   ", "--out", "{tmp}/x.wav"], 2, "nothing to say"),
        (["say", "--text", "Проба", "--out", "{tmp}/no-dir/x.wav"], 1, "espeak-ng failed"),
        (["receipt-demo", "--out", "{tmp}/no-dir/r.bin"], 1, "no-dir/r.bin: No such file or directory"),
        (["receipt-demo", "--out", "{tmp}/r.bin", "--png", "{tmp}/no-dir/r.png"], 1, "No such file or directory"),
        (["receipt-demo", "--out", "{tmp}/r.bin", "--code-page", "CP999"], 2, "hardware.printer.code_page"),
        (["read-id", "--serial", "{tmp}/ttyNOPE", "--timeout", "30"], 1, "no such serial device"),
    ],
)
def test_bad_input_is_one_clear_line_and_an_exit_code_never_a_traceback(tmp_path, args, exit_code, says):
    result = run(*(a.replace("{tmp}", str(tmp_path)) for a in args), stdin="", timeout=20)
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stderr
    assert says in result.stderr
