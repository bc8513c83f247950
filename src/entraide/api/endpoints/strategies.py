"""Coping strategies ("Ce qui m'aide") and each time one was used: ``/coping-strategies``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from entraide.api.auth import owner_of
from entraide.api.schemas import (
    ITEM_ERRORS,
    ITEM_WRITE_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    DateRange,
    Day,
    Input,
    Page,
)
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_uses_of, get_strategy_of, get_use_of
from entraide.goals.models import CopingStrategy, StrategyUse

router = Router(tags=["coping strategies"])

Category = Literal["body", "mind", "people", "creativity", "rest", "other"]  # goals.values.CATEGORIES


class StrategyIn(Input):
    name: str = Field(max_length=v.MAX_STRATEGY_NAME, description="Needed, in the person's words.")
    category: Category = "other"
    note: str = Field("", max_length=v.MAX_STRATEGY_NOTE)


class StrategyOut(Schema):
    id: uuid.UUID
    name: str
    category: Category
    note: str
    starter: str | None = Field(description="The key of the idea it was picked from, if any.")
    uses: int = Field(description="How many times it was used.")
    rated_uses: int = Field(description="How many of these uses were rated.")
    mean_help: float | None = Field(description="Mean of the rated uses, from 0 (not at all) to 4 (a lot).")
    last_used: date | None
    created_at: datetime
    updated_at: datetime


class StrategyList(Schema):
    count: int
    items: list[StrategyOut]


class StrategyFilters(Page):
    sort: Literal["help", "name"] = Field(
        "help", description="help: the most helpful first (never rated ones after); name: by name."
    )
    category: Category | None = None


class UseIn(Input):
    day: Day = Field(description="The local day it was used (today or earlier).")
    helped: int | None = Field(
        None, ge=v.HELP_LOW, le=v.HELP_HIGH, description="0 (not at all) to 4 (a lot); null: not rated yet."
    )
    note: str = Field("", max_length=v.MAX_USE_NOTE)


class UseOut(Schema):
    id: uuid.UUID
    strategy_id: uuid.UUID
    day: date
    helped: int | None
    note: str
    created_at: datetime
    updated_at: datetime


class UseList(Schema):
    count: int
    items: list[UseOut]


def strategy_out(strategy: CopingStrategy) -> dict[str, Any]:
    stats = strategy.stats
    return {
        "id": strategy.pk,
        "name": strategy.name,
        "category": strategy.category,
        "note": strategy.note,
        "starter": strategy.payload.get("starter"),
        "uses": strategy.uses,
        "rated_uses": int(stats.get("rated", 0)),
        "mean_help": strategy.mean_help,
        "last_used": stats.get("last_used"),
        "created_at": strategy.created_at,
        "updated_at": strategy.updated_at,
    }


def use_out(use: StrategyUse) -> dict[str, Any]:
    return {
        "id": use.pk,
        "strategy_id": use.strategy_id,
        "day": use.day,
        "helped": use.helped,
        "note": use.note,
        "created_at": use.created_at,
        "updated_at": use.updated_at,
    }


@router.get(
    "/coping-strategies",
    response={200: StrategyList, **READ_ERRORS},
    operation_id="listCopingStrategies",
    summary="List coping strategies",
)
def list_strategies(request: HttpRequest, filters: Query[StrategyFilters]) -> dict[str, Any]:
    # Encrypted names and figures: sorted in memory (at most 200 rows).
    rows = services.strategies_in_order(owner_of(request), by=filters.sort)
    if filters.category:
        rows = [s for s in rows if s.category == filters.category]
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"count": len(rows), "items": [strategy_out(s) for s in page]}


@router.post(
    "/coping-strategies",
    response={201: StrategyOut, **WRITE_ERRORS},
    operation_id="createCopingStrategy",
    summary="Add a coping strategy",
    description="At most 200: beyond, 422 with the field `limit`.",
)
def create_strategy(request: HttpRequest, data: StrategyIn) -> Status[Any]:
    return Status(201, strategy_out(services.create_strategy(owner_of(request), **data.model_dump())))


@router.get(
    "/coping-strategies/{strategy_id}",
    response={200: StrategyOut, **ITEM_ERRORS},
    operation_id="getCopingStrategy",
    summary="Read a coping strategy",
)
def get_strategy(request: HttpRequest, strategy_id: uuid.UUID) -> dict[str, Any]:
    return strategy_out(get_strategy_of(owner_of(request), strategy_id))


@router.put(
    "/coping-strategies/{strategy_id}",
    response={200: StrategyOut, **ITEM_WRITE_ERRORS},
    operation_id="updateCopingStrategy",
    summary="Replace a coping strategy",
    description="Name, kind and note are replaced; its uses stay.",
)
def update_strategy(request: HttpRequest, strategy_id: uuid.UUID, data: StrategyIn) -> dict[str, Any]:
    strategy = get_strategy_of(owner_of(request), strategy_id)
    return strategy_out(services.update_strategy(strategy, **data.model_dump()))


@router.delete(
    "/coping-strategies/{strategy_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteCopingStrategy",
    summary="Delete a coping strategy and its uses",
)
def delete_strategy(request: HttpRequest, strategy_id: uuid.UUID) -> Status[Any]:
    services.delete_strategy(get_strategy_of(owner_of(request), strategy_id))
    return Status(204, None)


@router.get(
    "/coping-strategies/{strategy_id}/uses",
    response={200: UseList, **ITEM_ERRORS},
    operation_id="listStrategyUses",
    summary="List the times a strategy was used",
    description="Newest first, optionally between two local days (both included).",
)
def list_uses(request: HttpRequest, strategy_id: uuid.UUID, filters: Query[DateRange]) -> dict[str, Any]:
    owner = owner_of(request)
    strategy = get_strategy_of(owner, strategy_id)
    qs = filter_uses_of(owner).filter(strategy_id=strategy.pk)
    if filters.from_:
        qs = qs.filter(day__gte=filters.from_)
    if filters.to:
        qs = qs.filter(day__lte=filters.to)
    rows = qs.order_by("-day", "-created_at", "-id")[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [use_out(u) for u in rows]}


@router.post(
    "/coping-strategies/{strategy_id}/uses",
    response={201: UseOut, **ITEM_WRITE_ERRORS},
    operation_id="recordStrategyUse",
    summary="Note that a strategy was used",
    description="With how much it helped (0 to 4), rated after using it; it can be rated later.",
)
def record_use(request: HttpRequest, strategy_id: uuid.UUID, data: UseIn) -> Status[Any]:
    strategy = get_strategy_of(owner_of(request), strategy_id)
    return Status(201, use_out(services.record_use(strategy, **data.model_dump())))


@router.get(
    "/coping-strategies/{strategy_id}/uses/{use_id}",
    response={200: UseOut, **ITEM_ERRORS},
    operation_id="getStrategyUse",
    summary="Read one use of a strategy",
)
def get_use(request: HttpRequest, strategy_id: uuid.UUID, use_id: uuid.UUID) -> dict[str, Any]:
    owner = owner_of(request)
    return use_out(get_use_of(owner, get_strategy_of(owner, strategy_id), use_id))


@router.put(
    "/coping-strategies/{strategy_id}/uses/{use_id}",
    response={200: UseOut, **ITEM_WRITE_ERRORS},
    operation_id="updateStrategyUse",
    summary="Replace one use of a strategy",
)
def update_use(
    request: HttpRequest, strategy_id: uuid.UUID, use_id: uuid.UUID, data: UseIn
) -> dict[str, Any]:
    owner = owner_of(request)
    strategy = get_strategy_of(owner, strategy_id)
    use = get_use_of(owner, strategy, use_id)
    use.strategy = strategy
    return use_out(services.update_use(use, **data.model_dump()))


@router.delete(
    "/coping-strategies/{strategy_id}/uses/{use_id}",
    response={204: None, **ITEM_WRITE_ERRORS},
    operation_id="deleteStrategyUse",
    summary="Delete one use of a strategy",
)
def delete_use(request: HttpRequest, strategy_id: uuid.UUID, use_id: uuid.UUID) -> Status[Any]:
    owner = owner_of(request)
    strategy = get_strategy_of(owner, strategy_id)
    use = get_use_of(owner, strategy, use_id)
    use.strategy = strategy
    services.delete_use(use)
    return Status(204, None)
