"""The public tracking page `/t/{number}?code=…` that the receipt's QR code opens (no login)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from server_sync.hub.api.deps import Hub
from server_sync.hub.deadlines import SOFIA
from server_sync.hub.errors import ApiError
from server_sync.hub.services import submissions as service

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))

STATUS = {
    "registered": ("Регистрирана", "Registered"),
    "pending": ("Чакаща", "Pending"),
    "in_progress": ("В процес на работа", "In progress"),
    "resolved": ("Решена", "Resolved"),
    "rejected": ("Отказана", "Rejected"),
}


@router.get("/t/{ref:path}", response_class=HTMLResponse)
def tracking_page(request: Request, ref: str, hub: Hub,
                  code: Annotated[str | None, Query(max_length=16)] = None,
                  lang: Annotated[str, Query(pattern="^(bg|en)$")] = "bg") -> HTMLResponse:
    item, error, status = None, False, 200
    if code and len(ref) <= 100:
        try:
            with hub.reads() as session:
                item = service.track(session=session, ref=ref, code=code)
        except ApiError:
            error, status = True, 404
    with hub.reads() as session:
        current = hub.catalogue.get(session)
    municipality = current[0].municipality.name.get(lang) if current else "е-Община"

    def t(bg: str, en: str) -> str:
        return en if lang == "en" else bg

    context = {
        "lang": lang, "item": item, "error": error, "ref": ref[:100], "code": code, "municipality": municipality,
        "t": t, "status_name": lambda s: t(*STATUS[str(s.value if hasattr(s, "value") else s)]),
        "when": lambda d: d.astimezone(SOFIA).strftime("%d.%m.%Y %H:%M"),
        "other_lang_query": urlencode({k: v for k, v in {"code": code, "lang": "en" if lang == "bg" else "bg"}.items()
                                       if v}),
    }
    response = templates.TemplateResponse(request, "track.html", context, status_code=status)
    # The page holds a status that can change and a code in its URL: keep it out of caches.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
