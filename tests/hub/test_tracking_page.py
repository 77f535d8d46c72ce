"""The public tracking page the receipt's QR code opens."""

from __future__ import annotations

from server_sync.hub.services.staff import create_admin

from .conftest import service_request


def test_qr_link_shows_status_and_history_in_bulgarian_and_english(client, hub, kiosk):
    receipt = client.post("/api/v1/requests", json=service_request(hub), headers=kiosk["headers"]).json()
    with hub.sessions.begin() as s:
        create_admin(session=s, username="clerk", password="correct horse battery")
    client.patch(f"/api/v1/requests/{receipt['number']}/status", auth=("clerk", "correct horse battery"),
                 json={"status": "in_progress", "note": "Проверка в регистъра."})
    link = receipt["tracking_url"].removeprefix("http://localhost:8750")
    page = client.get(link)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert receipt["number"] in page.text and "В процес на работа" in page.text
    assert "Проверка в регистъра." in page.text and "Издаване на удостоверение за наследници" in page.text
    english = client.get(link + "&lang=en")
    assert "In progress" in english.text and "Certificate of heirs" in english.text
    by_ref = client.get(f"/t/K01-000001?code={receipt['tracking_code']}")
    assert receipt["number"] in by_ref.text


def test_without_or_with_a_wrong_code_it_asks_for_the_code(client, hub, kiosk):
    receipt = client.post("/api/v1/requests", json=service_request(hub), headers=kiosk["headers"]).json()
    ask = client.get(f"/t/{receipt['number']}")
    assert ask.status_code == 200 and 'name="code"' in ask.text and "Регистрирана" not in ask.text
    wrong = client.get(f"/t/{receipt['number']}?code=WRONGCOD")
    assert wrong.status_code == 404 and 'role="alert"' in wrong.text and "Регистрирана" not in wrong.text
    hostile = client.get("/t/<script>alert(1)</script>")
    assert "<script>alert" not in hostile.text  # escaped by the template
