"""Questionnaires: their definitions (``/questionnaires``), read from the instrument files with the
wording in the requested language, and a person's responses (``/questionnaire-responses``).

Scores, bands and the crisis flag are computed by assessments' engine from the answers: a client
cannot send them (an unknown field is a 422). Every scored item is required; the PHQ-9 difficulty
item when a scored one is above 0 (422 otherwise, naming each missing ``answers.<n>``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Schema
from ninja.responses import Status

from entraide.api.auth import area_router, in_owner_zone, owner_of
from entraide.api.schemas import ITEM_ERRORS, ITEM_WRITE_ERRORS, READ_ERRORS, WRITE_ERRORS, DateRange, Input
from entraide.assessments import engine, services
from entraide.assessments import values as v
from entraide.assessments.access import filter_responses_of, get_response_of
from entraide.assessments.models import QuestionnaireResponse

router = area_router("assessments", tags=["questionnaires"])
router.add_decorator(in_owner_zone)

# engine.KEYS, spelled out so that the schema lists them (a test keeps them equal).
QuestionnaireKey = Literal["phq9", "gad7", "who5"]
Language = Literal["fr", "en"]
MAX_ITEMS = 9


class OptionOut(Schema):
    value: int
    text: str = Field(description="The instrument's wording, verbatim.")


class ItemOut(Schema):
    n: int
    text: str = Field(description="The instrument's wording, verbatim.")
    loinc: str | None
    crisis_if_above: int | None = Field(
        description="An answer above this opens the crisis screen (PHQ-9 item 9: above 0)."
    )


class DifficultyOut(Schema):
    text: str
    options: list[OptionOut]
    loinc: str | None
    required_if_a_scored_item_is_above_0: bool


class MeaningOut(Schema):
    key: str
    label: str = Field(description="The band in a few words (the site's, not the instrument's).")
    meaning: str = Field(description="What it means, in plain words. A questionnaire is not a diagnosis.")


class BandOut(MeaningOut):
    min: int
    max: int


class CutoffOut(MeaningOut):
    rule: str = Field(description="The cut-off as the instrument file states it.")


class QuestionnaireOut(Schema):
    key: QuestionnaireKey
    name: str
    version: str
    language: Language = Field(description="The language of the wording below.")
    stem: str
    options: list[OptionOut]
    items: list[ItemOut]
    difficulty_item: DifficultyOut | None = Field(description="Unscored (PHQ-9 only).")
    raw_range: list[int] = Field(description="The range of the sum of the items.")
    score_range: list[int] = Field(description="The range of the score (WHO-5: a percentage).")
    percentage_multiplier: int | None = Field(description="WHO-5: percentage = raw × 4.")
    bands: list[BandOut]
    cutoffs: list[CutoffOut]
    not_a_diagnosis: str
    source: str
    licence: str
    loinc: dict[str, str] | None


class QuestionnaireList(Schema):
    items: list[QuestionnaireOut]


class LanguageQuery(Schema):
    language: Language | None = Field(
        None, description="The wording's language (default: Accept-Language, else French)."
    )


class ResponseIn(Input):
    questionnaire: QuestionnaireKey
    answers: list[int | None] = Field(
        max_length=MAX_ITEMS,
        description="The value of the option chosen for each item, item 1 first. Every item is required.",
        examples=[[0, 1, 1, 0, 2, 0, 1, 0, 0]],
    )
    difficulty: int | None = Field(
        None, description="PHQ-9's difficulty item: required when a scored item is above 0."
    )
    language: Language | None = Field(None, description="The language the wording was shown in.")
    private: bool = Field(
        False,
        description="“Reste privé”: never shown to anyone the person shares with, nor the crisis "
        "moment it may cause.",
    )


class ResponseOut(Schema):
    id: uuid.UUID
    questionnaire: QuestionnaireKey
    answered_at: datetime
    local_date: date = Field(description="The person's local date when they answered.")
    language: Language
    answers: list[int]
    difficulty: int | None
    raw: int = Field(description="The sum of the answers.")
    percentage: int | None = Field(description="WHO-5 only: raw × 4.")
    score: int = Field(description="The figure to read: the percentage for WHO-5, else the raw sum.")
    band: str
    band_label: str
    meaning: str
    cutoffs: list[str]
    private: bool = Field(description="“Reste privé”: never shown to anyone the person shares with.")
    crisis: bool = Field(description="An answer calls for the crisis screen (PHQ-9 item 9 above 0).")
    crisis_url: str | None = Field(description="The crisis screen on this site, when ``crisis``.")


class ResponseList(Schema):
    count: int
    items: list[ResponseOut]


class ResponseFilters(DateRange):
    questionnaire: QuestionnaireKey | None = None


def _meaning(key: str, band: str) -> dict[str, str]:
    found = v.meaning(key, band)
    return {
        "key": band,
        "label": str(found.label) if found else "",
        "meaning": str(found.sentence) if found else "",
    }


def questionnaire_out(instrument: engine.Instrument, language: str | None) -> dict[str, Any]:
    lang = engine.wording_language(instrument.stem, language)
    # Our own words (band meanings, "not a diagnosis") in the wording's language.
    with translation.override(lang):
        return _questionnaire_out(instrument, lang)


def _questionnaire_out(instrument: engine.Instrument, lang: str) -> dict[str, Any]:

    def options(items: tuple[engine.Option, ...]) -> list[dict[str, Any]]:
        return [{"value": o.value, "text": engine.text(o.wording, lang)} for o in items]

    difficulty = instrument.difficulty
    return {
        "key": instrument.key,
        "name": engine.text(instrument.name, lang),
        "version": instrument.version,
        "language": lang,
        "stem": engine.text(instrument.stem, lang),
        "options": options(instrument.options),
        "items": [
            {
                "n": i.n,
                "text": engine.text(i.wording, lang),
                "loinc": i.loinc,
                "crisis_if_above": i.crisis_above,
            }
            for i in instrument.items
        ],
        "difficulty_item": None
        if difficulty is None
        else {
            "text": engine.text(difficulty.wording, lang),
            "options": options(difficulty.options),
            "loinc": difficulty.loinc,
            "required_if_a_scored_item_is_above_0": difficulty.required_if_any_above_zero,
        },
        "raw_range": list(instrument.raw_range),
        "score_range": list(instrument.score_range),
        "percentage_multiplier": instrument.multiplier,
        "bands": [{"min": b.low, "max": b.high, **_meaning(instrument.key, b.key)} for b in instrument.bands],
        "cutoffs": [{"rule": c.rule, **_meaning(instrument.key, c.key)} for c in instrument.cutoffs],
        "not_a_diagnosis": str(v.NOT_A_DIAGNOSIS),
        "source": instrument.source,
        "licence": instrument.licence,
        "loinc": instrument.loinc,
    }


def response_out(row: QuestionnaireResponse) -> dict[str, Any]:
    meaning = _meaning(row.instrument, row.band)
    return {
        "id": row.pk,
        "questionnaire": row.instrument,
        "answered_at": row.answered_at,
        "local_date": row.local_date,
        "language": row.payload.get("language") or "fr",
        "answers": row.answers,
        "difficulty": row.difficulty,
        "raw": row.raw,
        "percentage": row.percentage,
        "score": row.score,
        "band": row.band,
        "private": row.private,
        "band_label": meaning["label"],
        "meaning": meaning["meaning"],
        "cutoffs": list(row.payload.get("cutoffs", [])),
        "crisis": row.crisis,
        "crisis_url": reverse("safety:crisis") if row.crisis else None,
    }


@router.get(
    "/questionnaires",
    response={200: QuestionnaireList, **READ_ERRORS},
    operation_id="listQuestionnaires",
    summary="List the questionnaires",
    description="PHQ-9, GAD-7 and WHO-5 as data: wording verbatim, options, scoring, bands, cut-offs.",
)
def list_questionnaires(request: HttpRequest, query: Query[LanguageQuery]) -> dict[str, Any]:
    return {"items": [questionnaire_out(i, query.language) for i in engine.all_instruments()]}


@router.get(
    "/questionnaires/{questionnaire}",
    response={200: QuestionnaireOut, **ITEM_ERRORS},
    operation_id="getQuestionnaire",
    summary="Read a questionnaire",
)
def get_questionnaire(
    request: HttpRequest, questionnaire: str, query: Query[LanguageQuery]
) -> dict[str, Any]:
    try:
        instrument = engine.get(questionnaire)
    except KeyError:
        raise Http404 from None
    return questionnaire_out(instrument, query.language)


@router.get(
    "/questionnaire-responses",
    response={200: ResponseList, **READ_ERRORS},
    operation_id="listQuestionnaireResponses",
    summary="List questionnaire responses",
    description="Newest first, optionally of one questionnaire, between two local dates (both included).",
)
def list_responses(request: HttpRequest, filters: Query[ResponseFilters]) -> dict[str, Any]:
    qs = filter_responses_of(owner_of(request))
    if filters.questionnaire:
        qs = qs.filter(instrument=filters.questionnaire)
    if filters.from_:
        qs = qs.filter(local_date__gte=filters.from_)
    if filters.to:
        qs = qs.filter(local_date__lte=filters.to)
    rows = qs.order_by("-answered_at", "-id")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [response_out(r) for r in rows]}


@router.post(
    "/questionnaire-responses",
    response={201: ResponseOut, **WRITE_ERRORS},
    operation_id="createQuestionnaireResponse",
    summary="Answer a questionnaire",
    description=(
        "The score, band and crisis flag are computed from the answers. When ``crisis`` is true, "
        "show the person the crisis screen (``crisis_url``): a crisis moment is recorded in their space."
    ),
)
def create_response(request: HttpRequest, data: ResponseIn) -> Status[Any]:
    row = services.record_response(
        owner_of(request),
        questionnaire=data.questionnaire,
        answers=data.answers,
        difficulty=data.difficulty,
        language=data.language,
        private=data.private,
    )
    return Status(201, response_out(row))


@router.get(
    "/questionnaire-responses/{response_id}",
    response={200: ResponseOut, **ITEM_ERRORS},
    operation_id="getQuestionnaireResponse",
    summary="Read a questionnaire response",
)
def get_response(request: HttpRequest, response_id: uuid.UUID) -> dict[str, Any]:
    return response_out(get_response_of(owner_of(request), response_id))


@router.delete(
    "/questionnaire-responses/{response_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteQuestionnaireResponse",
    summary="Delete a questionnaire response",
)
def delete_response(request: HttpRequest, response_id: uuid.UUID) -> Status[Any]:
    services.delete_response(get_response_of(owner_of(request), response_id))
    return Status(204, None)


class PrivateIn(Input):
    private: bool = Field(description="“Reste privé”: never shown to anyone the person shares with.")


@router.patch(
    "/questionnaire-responses/{response_id}",
    response={200: ResponseOut, **ITEM_WRITE_ERRORS},
    operation_id="markQuestionnaireResponsePrivate",
    summary="Keep a response private, or share it again",
    description="Answers are never changed once given; only whether the response stays private. "
    "A crisis moment it caused follows it.",
)
def mark_private(request: HttpRequest, response_id: uuid.UUID, data: PrivateIn) -> dict[str, Any]:
    row = get_response_of(owner_of(request), response_id)
    return response_out(services.mark_response_private(row, private=data.private))
