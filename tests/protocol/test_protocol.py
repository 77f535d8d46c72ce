"""The wire models: recorded examples parse and round-trip; bad input is refused clearly."""

import json
import unicodedata
from decimal import Decimal

import pytest
from pydantic import ValidationError

import server_sync.protocol as p
from server_sync.protocol.sealing import SealError, generate_keypair, open_applicant, seal_applicant
from tests.conftest import FIXTURES

MODELS = {
    "health_response": p.HealthResponse,
    "enroll_request": p.EnrollRequest,
    "enroll_response": p.EnrollResponse,
    "heartbeat_request": p.HeartbeatRequest,
    "heartbeat_response": p.HeartbeatResponse,
    "submission_service_request": p.SubmissionRequest,
    "submission_signal": p.SubmissionRequest,
    "submission_receipt": p.SubmissionReceipt,
    "tracking_response": p.TrackingResponse,
    "feedback_batch": p.FeedbackBatch,
    "feedback_batch_result": p.FeedbackBatchResult,
    "citizen_session_request": p.CitizenSessionRequest,
    "citizen_session_response": p.CitizenSessionResponse,
    "dossier_response": p.DossierResponse,
    "consultation_list": p.ConsultationList,
    "support_request": p.SupportRequest,
    "support_result": p.SupportResult,
    "error_response": p.ErrorResponse,
}


def test_every_recorded_example_has_a_model():
    recorded = {f.stem for f in (FIXTURES / "protocol").glob("*.json")}
    assert recorded == set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_recorded_example_round_trips(name):
    raw = json.loads((FIXTURES / "protocol" / f"{name}.json").read_text())
    model = MODELS[name].model_validate(raw)
    assert json.loads(model.model_dump_json()) == raw


@pytest.mark.parametrize("name", sorted(n for n in MODELS if n != "error_response"))
def test_unknown_field_is_refused_naming_it(name):
    raw = json.loads((FIXTURES / "protocol" / f"{name}.json").read_text())
    raw["surprise"] = 1
    with pytest.raises(ValidationError) as err:
        MODELS[name].model_validate(raw)
    assert "surprise" in str(err.value)


def test_text_is_nfc_normalised_and_length_limited():
    decomposed = unicodedata.normalize("NFD", "Йордан")
    applicant = p.Applicant(given_names=decomposed)
    assert applicant.given_names == "Йордан" and len(applicant.given_names) == 6
    with pytest.raises(ValidationError, match="given_names"):
        p.Applicant(given_names="А" * 121)


@pytest.mark.parametrize(
    "bgn,eur", [("3", "1.53"), ("5", "2.56"), ("10", "5.11"), ("7.50", "3.83"), ("0", "0.00")]
)
def test_fee_conversion_at_the_fixed_rate(bgn, eur):
    assert p.bgn_to_eur(bgn) == Decimal(eur)


def test_signal_needs_category_type_and_description():
    raw = json.loads((FIXTURES / "protocol" / "submission_signal.json").read_text())
    del raw["description"]
    with pytest.raises(ValidationError, match="description"):
        p.SubmissionRequest.model_validate(raw)


def test_service_request_cannot_be_anonymous():
    raw = json.loads((FIXTURES / "protocol" / "submission_service_request.json").read_text())
    raw["anonymous"] = True
    with pytest.raises(ValidationError, match="anonymous"):
        p.SubmissionRequest.model_validate(raw)


def test_score_above_scale_is_refused():
    with pytest.raises(ValidationError, match="score"):
        p.Press(press_id="d1b2c3a4-0000-4000-8000-000000000009", terminal_time="2026-01-01T00:00:00Z",
                seq=1, score=5, scale=4)


def test_sealed_applicant_opens_only_with_the_hub_key():
    private, public = generate_keypair()
    other_private, _ = generate_keypair()
    applicant = p.Applicant(egn="8001010008", given_names="Мария", surname="Петрова")
    sealed = seal_applicant(applicant, public)
    assert "Мария" not in sealed and "8001010008" not in sealed
    assert open_applicant(sealed, private) == applicant
    with pytest.raises(SealError):
        open_applicant(sealed, other_private)
    with pytest.raises(SealError):
        open_applicant("not base64 !!", private)


def test_catalogue_references_must_resolve():
    with pytest.raises(ValidationError, match=r"services\[x\]\.unit_id"):
        p.CatalogueData.model_validate({
            "municipality": {"code": "m", "name": {"bg": "Община"}},
            "services": [{"id": "x", "name": {"bg": "У"}, "description": {"bg": "о"},
                          "unit_id": "nope", "tiers": [{"tier": "ordinary"}]}],
        })


def test_nul_characters_and_non_finite_numbers_are_refused_on_the_terminal_too():
    """The hub refuses them (PostgreSQL cannot store NUL; NaN is no JSON): a terminal finds out
    when it builds the message, not from a refusal after queueing it."""
    import pydantic

    from server_sync.protocol.common import I18n, WireModel

    with pytest.raises(pydantic.ValidationError, match="NUL"):
        I18n(bg="Улица\x00 Раковски")

    class Reading(WireModel):
        value: float

    for bad in (float("nan"), float("inf")):
        with pytest.raises(pydantic.ValidationError):
            Reading(value=bad)
    assert Reading(value=36.6).value == 36.6
