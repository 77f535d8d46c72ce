"""A small catalogue for `kiosk --simulate` and tests when no hub catalogue is cached yet."""

from __future__ import annotations

from server_sync.protocol.catalogue import Catalogue


def _t(bg: str, en: str) -> dict:
    return {"bg": bg, "en": en}


def _tiers(*rows):
    out = []
    for tier, unit, amount, fee in rows:
        dl = {"unit": unit} if unit in ("immediate", "same_day") else {"unit": unit, "amount": amount}
        out.append({"tier": tier, "deadline": dl, "fee_eur": fee})
    return out


DEMO = {
    "municipality": {"code": "demo", "name": _t("Община Примерна", "Municipality of Primerna"),
                     "tracking_base_url": "http://localhost:8750/t/"},
    "units": [
        {"id": "grao", "name": _t("ГРАО", "Civil registration (GRAO)")},
        {"id": "taxes", "name": _t("Местни данъци и такси", "Local taxes and fees")},
        {"id": "planning", "name": _t("Устройство на територията", "Spatial planning")},
    ],
    "life_situations": [
        {"id": "death", "name": _t("Смърт на близък", "Death of a relative")},
        {"id": "address", "name": _t("Адрес и местоживеене", "Address and residence")},
        {"id": "property", "name": _t("Имот и строителство", "Property and building")},
    ],
    "services": [
        {"id": "heirs-certificate", "iisda_code": "2016",
         "name": _t("Издаване на удостоверение за наследници", "Heirs' certificate"),
         "description": _t("Удостоверение за наследниците на починало лице.", "A certificate naming the heirs of a deceased person."),
         "unit_id": "grao", "life_situations": ["death"],
         "tiers": _tiers(("ordinary", "working_days", 7, "2.56"), ("fast", "working_days", 3, "3.83"), ("express", "hours", 24, "5.11")),
         "required_documents": [_t("Лична карта на заявителя", "The applicant's ID card"), _t("Акт за смърт (ако е съставен в друга община)", "Death certificate (if issued by another municipality)")],
         "legal_basis": _t("чл. 24, ал. 1 от Закона за гражданската регистрация", "Art. 24(1) Civil Registration Act"),
         "where": _t("Център за услуги, гише 3", "Service centre, counter 3"),
         "form_fields": [
             {"name": "deceased_name", "label": _t("Име на починалия", "Name of the deceased"), "type": "text", "required": True, "max_length": 120},
             {"name": "deceased_egn", "label": _t("ЕГН на починалия", "ЕГН of the deceased"), "type": "egn", "required": True},
             {"name": "phone", "label": _t("Телефон за връзка", "Contact phone"), "type": "phone", "personal": True},
         ],
         "keywords": ["наследство", "починал"]},
        {"id": "permanent-address", "iisda_code": "2079",
         "name": _t("Удостоверение за постоянен адрес", "Permanent address certificate"),
         "description": _t("Удостоверение след заявяване или промяна на постоянен адрес.", "Certificate after registering or changing a permanent address."),
         "unit_id": "grao", "life_situations": ["address"],
         "tiers": _tiers(("ordinary", "hours", 72, "2.56"), ("fast", "hours", 24, "5.11"), ("express", "hours", 6, "7.67")),
         "required_documents": [_t("Лична карта", "ID card")],
         "where": _t("Център за услуги, гише 2", "Service centre, counter 2")},
        {"id": "no-debts", "iisda_code": "1998",
         "name": _t("Удостоверение за наличие или липса на задължения", "Certificate of local tax debts or none"),
         "description": _t("Удостоверение за задължения по ЗМДТ.", "Certificate of debts under the Local Taxes and Fees Act."),
         "unit_id": "taxes", "life_situations": ["property"],
         "tiers": _tiers(("ordinary", "days", 7, "1.02"), ("fast", "days", 3, "2.56")),
         "form_fields": [{"name": "purpose", "label": _t("Цел", "Purpose"), "type": "choice", "required": True,
                          "choices": [{"value": "notary", "label": _t("Пред нотариус", "For a notary")},
                                      {"value": "other", "label": _t("Друго", "Other")}]}]},
        {"id": "property-sketch", "iisda_code": "2027",
         "name": _t("Издаване на скица за недвижим имот", "Property sketch"),
         "description": _t("Скица на поземлен имот.", "A sketch of a land plot."),
         "unit_id": "planning", "life_situations": ["property"],
         "tiers": _tiers(("ordinary", "days", 14, "15.34"), ("fast", "days", 7, "23.01"), ("express", "days", 3, "30.68")),
         "form_fields": [{"name": "plot", "label": _t("Идентификатор на имота", "Plot identifier"), "type": "text", "required": True, "pattern": r"[0-9.]{3,40}"}]},
    ],
    "signal_categories": [
        {"id": "roads", "name": _t("Пътища и тротоари", "Roads and pavements"), "unit_id": "planning"},
        {"id": "lighting", "name": _t("Улично осветление", "Street lighting")},
        {"id": "waste", "name": _t("Отпадъци и контейнери", "Waste and containers")},
        {"id": "corruption", "name": _t("Корупция", "Corruption"), "anonymous_allowed": False},
    ],
    "hotlines": [
        {"id": "grao-phone", "name": _t("ГРАО — справки", "GRAO enquiries"), "phone": "032 656 701", "unit_id": "grao", "hours": _t("пн–пт 9–17 ч.", "Mon–Fri 9–17")},
        {"id": "tax-phone", "name": _t("Местни данъци", "Local taxes"), "phone": "032 656 702", "unit_id": "taxes"},
        {"id": "planning-phone", "name": _t("Главен архитект", "Chief architect"), "phone": "032 656 703", "unit_id": "planning"},
        {"id": "emergency", "name": _t("Денонощен дежурен", "24-hour duty officer"), "phone": "112"},
    ],
    "offices": [{"id": "centre", "name": _t("Център за услуги — фоайе", "Service centre — lobby"), "kind": "citizen_centre"}],
    "places": [{"id": "central-square", "name": _t("Централен площад", "Central square")},
               {"id": "city-park", "name": _t("Градски парк", "City park")}],
    "version": "demo-1",
}


def demo_catalogue() -> Catalogue:
    return Catalogue.model_validate(DEMO)
