"""Goals and their steps through the services: the rules (lengths, limits, statuses), the
checklist, the order of the list and the progress figures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from entraide.core.errors import InvalidValuesError
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_goals_of, get_goal_of
from entraide.goals.models import Goal, GoalStatus
from entraide.goals.tests.factories import make_goal
from entraide.goals.values import LimitError

pytestmark = pytest.mark.django_db


def test_create_goal_stores_title_why_and_steps_encrypted(owner):
    goal = services.create_goal(
        owner,
        title="  Reprendre   le dessin ",
        why="Parce que ça m'apaise.\r\nEt j'aimais ça.",
        target_date=date(2026, 6, 1),
        steps=["Acheter un carnet", "  ", "Dessiner 10 minutes"],
    )
    goal = get_goal_of(owner, goal.pk)
    assert goal.title == "Reprendre le dessin"
    assert goal.why == "Parce que ça m'apaise.\nEt j'aimais ça."
    assert [s["text"] for s in goal.steps] == ["Acheter un carnet", "Dessiner 10 minutes"]
    assert all(s["done_at"] is None for s in goal.steps)
    assert goal.status == GoalStatus.IN_PROGRESS and goal.reached_at is None
    raw = Goal.objects.filter(pk=goal.pk).values_list("payload", flat=True).get()
    assert b"dessin" not in bytes(raw)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"why": "x" * 2001}, "why"),
        ({"target_date": date(1850, 1, 1)}, "target_date"),
        ({"target_date": date(2300, 1, 1)}, "target_date"),
        ({"status": "failed"}, "status"),
        ({"steps": ["x" * 201]}, "steps"),
        ({"steps": [f"étape {n}" for n in range(51)]}, "steps"),
    ],
)
def test_create_goal_refuses_what_breaks_a_rule(owner, values, field):
    with pytest.raises(InvalidValuesError) as caught:
        services.create_goal(owner, **{"title": "Un but", **values})
    assert field in caught.value.errors
    assert not Goal.objects.exists()


def test_create_goal_lists_every_problem_at_once(owner):
    with pytest.raises(InvalidValuesError) as caught:
        services.create_goal(owner, title="", why="x" * 2001, status="nope")
    assert set(caught.value.errors) == {"title", "why", "status"}


def test_create_goal_stops_at_200_goals(owner, stranger):
    Goal.objects.bulk_create(
        [Goal(owner=owner, payload={"title": f"But {n}", "why": "", "steps": []}) for n in range(v.MAX_GOALS)]
    )
    with pytest.raises(LimitError) as caught:
        make_goal(owner)
    assert "200" in str(caught.value.message)  # in the language active, whichever it is
    assert isinstance(caught.value, InvalidValuesError)  # the API answers 422, the pages show it
    make_goal(stranger)  # another person's goals do not count


def test_update_goal_keeps_the_steps_and_dates_reaching(owner):
    goal = make_goal(owner)
    services.update_step(goal, goal.steps[0]["id"], done=True)
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=ZoneInfo("UTC")), tick=False):
        services.update_goal(goal, title="Marcher", why="", target_date=None, status=GoalStatus.REACHED)
    goal = get_goal_of(owner, goal.pk)
    assert goal.title == "Marcher" and goal.why == ""
    assert len(goal.steps) == 2 and goal.steps_done == 1
    assert goal.reached_at == datetime(2026, 4, 2, 10, tzinfo=ZoneInfo("UTC"))
    services.update_goal(goal, title="Marcher", status=GoalStatus.REACHED)
    assert get_goal_of(owner, goal.pk).reached_at == datetime(2026, 4, 2, 10, tzinfo=ZoneInfo("UTC"))
    services.update_goal(goal, title="Marcher", status=GoalStatus.PAUSED)
    assert get_goal_of(owner, goal.pk).reached_at is None


def test_steps_can_be_added_ticked_unticked_renamed_and_removed(owner):
    goal = make_goal(owner, steps=[])
    first = services.add_step(goal, text=" Appeler   Léa ")
    second = services.add_step(goal, text="Lui proposer un café")
    assert [s["text"] for s in get_goal_of(owner, goal.pk).steps] == ["Appeler Léa", "Lui proposer un café"]

    services.update_step(goal, first["id"], done=True)
    ticked_at = get_goal_of(owner, goal.pk).steps[0]["done_at"]
    assert ticked_at
    services.update_step(goal, first["id"], done=True)  # a second tick keeps the first time
    assert get_goal_of(owner, goal.pk).steps[0]["done_at"] == ticked_at
    services.update_step(goal, first["id"], text="Appeler Léa dimanche")
    assert get_goal_of(owner, goal.pk).steps[0] == {
        "id": first["id"],
        "text": "Appeler Léa dimanche",
        "done_at": ticked_at,
    }
    services.update_step(goal, first["id"], done=False)
    assert get_goal_of(owner, goal.pk).steps[0]["done_at"] is None

    services.remove_step(goal, first["id"])
    assert [s["id"] for s in get_goal_of(owner, goal.pk).steps] == [second["id"]]
    assert goal.steps == get_goal_of(owner, goal.pk).steps  # the object passed in follows


def test_steps_refuse_empty_long_unknown_and_the_51st(owner):
    goal = make_goal(owner, steps=[f"étape {n}" for n in range(v.MAX_STEPS)])
    with pytest.raises(LimitError):
        services.add_step(goal, text="Une de plus")
    goal = make_goal(owner, steps=[])
    with pytest.raises(InvalidValuesError) as caught:
        services.add_step(goal, text="   ")
    assert "text" in caught.value.errors
    with pytest.raises(InvalidValuesError):
        services.add_step(goal, text="x" * 201)
    with pytest.raises(Http404):
        services.update_step(goal, uuid.uuid4(), done=True)
    with pytest.raises(Http404):
        services.remove_step(goal, uuid.uuid4())


def test_ordered_goals_puts_what_is_in_progress_first(owner):
    later = make_goal(owner, title="Plus tard", target_date=date(2026, 9, 1))
    soon = make_goal(owner, title="Bientôt", target_date=date(2026, 5, 1))
    undated = make_goal(owner, title="Sans date")
    paused = make_goal(owner, title="En pause", status=GoalStatus.PAUSED)
    reached = make_goal(owner, title="Atteint", status=GoalStatus.REACHED)
    let_go = make_goal(owner, title="Laissé", status=GoalStatus.LET_GO)
    order = [g.pk for g in services.ordered_goals(filter_goals_of(owner))]
    assert order == [soon.pk, later.pk, undated.pk, paused.pk, reached.pk, let_go.pk]


def test_goal_progress_counts_reached_goals_by_local_month(owner):
    """Months are the person's (the zone active in their requests): 23:30 UTC on 31 January is
    February in Paris."""
    with time_machine.travel(datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        make_goal(owner, status=GoalStatus.REACHED)  # 1 February, 00:30 in Paris
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("UTC")), tick=False):
        make_goal(owner, status=GoalStatus.REACHED)
        make_goal(owner, status=GoalStatus.REACHED)
        make_goal(owner, title="En cours")
        make_goal(owner, title="Atteint il y a longtemps", status=GoalStatus.LET_GO)
    with (
        time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=ZoneInfo("UTC")), tick=False),
        timezone.override(ZoneInfo("Europe/Paris")),
    ):
        progress = services.goal_progress(owner)
    assert [g.title for g in progress.goals] == ["En cours"]
    months = {m.month: m.count for m in progress.reached_by_month}
    assert len(progress.reached_by_month) == 12
    assert progress.reached_by_month[0].month == date(2025, 4, 1)
    assert progress.reached_by_month[-1].month == date(2026, 3, 1)
    assert months[date(2026, 2, 1)] == 1 and months[date(2026, 3, 1)] == 2 and months[date(2026, 1, 1)] == 0
    assert progress.reached_total == 3 and progress.most_in_a_month == 2


def test_delete_goal_removes_only_that_goal(owner):
    kept, gone = make_goal(owner), make_goal(owner)
    services.delete_goal(gone)
    assert list(filter_goals_of(owner)) == [kept]
