""" "Ce qui m'aide": the person's coping strategies (best first, or by name), ideas to pick from in
one click, one strategy with each time it was used, and the forms (strategy, use)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from entraide.core.charts import number
from entraide.core.forms import formstash, formtokens
from entraide.core.web.routes import audience
from entraide.goals import services
from entraide.goals import values as v
from entraide.goals.access import filter_uses_of, get_strategy_of, get_use_of
from entraide.goals.forms import StrategyForm, UseForm
from entraide.goals.models import CopingStrategy, StrategyUse

PER_PAGE = 25
BY_NAME = "nom"  # ?tri=nom


def item(strategy: CopingStrategy) -> dict[str, Any]:
    """A strategy as the pages show it: its kind in words and its mean help, in the reader's
    number format (3,5 in French)."""
    mean = strategy.mean_help
    return {
        "strategy": strategy,
        "category": v.CATEGORIES.get(strategy.category, v.CATEGORIES["other"]),
        "uses": strategy.uses,
        "mean": number(mean) if mean is not None else None,
        "mean_value": round(mean, 2) if mean is not None else None,
        "rated": int(strategy.stats.get("rated", 0)),
    }


def _detail_url(strategy: CopingStrategy) -> str:
    return reverse("goals:strategy", kwargs={"strategy_id": strategy.pk})


@audience("owner")
@login_required
@require_safe
def strategy_list(request: HttpRequest) -> HttpResponse:
    by_name = request.GET.get("tri") == BY_NAME
    rows = services.strategies_in_order(request.user, by="name" if by_name else "help")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "goals/strategies/index.html",
        {
            "page_obj": page,
            "items": [item(s) for s in page.object_list],
            "by_name": by_name,
            "count": len(rows),
            "limit": v.MAX_STRATEGIES,
        },
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def strategy_ideas(request: HttpRequest) -> HttpResponse:
    """About twenty well-known strategies; one button each copies it among the person's own."""
    user = request.user
    if request.method == "POST":
        key = request.POST.get("idea", "")
        if key in v.STARTERS_BY_KEY:
            try:
                strategy, created = services.adopt_starter(user, key)
            except v.LimitError as exc:
                messages.info(request, exc.message)
                return redirect("goals:strategy-ideas")
            if created:
                messages.success(
                    request,
                    pgettext("strategy ideas", "“%(name)s” is now in your list: change it as you like.")
                    % {"name": strategy.name},
                )
            else:
                messages.info(
                    request,
                    pgettext("strategy ideas", "“%(name)s” was already in your list.")
                    % {"name": strategy.name},
                )
        return redirect(
            f"{reverse('goals:strategy-ideas')}#idee-{key}"
            if key in v.STARTERS_BY_KEY
            else reverse("goals:strategy-ideas")
        )
    adopted = services.adopted_starters(user)
    groups = [
        {
            "key": key,
            "label": label,
            "ideas": [s for s in v.STARTERS if s.category == key],
        }
        for key, label in v.CATEGORIES.items()
    ]
    return render(
        request,
        "goals/strategy_ideas/index.html",
        {"groups": [g for g in groups if g["ideas"]], "adopted": adopted},
    )


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def strategy_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = StrategyForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():
        done = formtokens.save_once(
            request,
            form,
            lambda: _detail_url(services.create_strategy(user, **form.values())),
            message=pgettext("strategy form", "It is in your list."),
        )
        if done:
            return done
    return render(request, "goals/strategy_new/index.html", {"form": form})


@audience("owner")
@login_required
@require_safe
def strategy_detail(request: HttpRequest, strategy_id: uuid.UUID) -> HttpResponse:
    user = request.user
    strategy = get_strategy_of(user, strategy_id)
    uses = filter_uses_of(user).filter(strategy_id=strategy.pk).order_by("-day", "-created_at")
    page = Paginator(uses, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "goals/strategy/index.html",
        {
            "strategy": strategy,
            "item": item(strategy),
            "page_obj": page,
            "use_rows": [_use_item(u) for u in page.object_list],
        },
    )


def _use_item(use: StrategyUse) -> dict[str, Any]:
    helped = use.helped
    return {"use": use, "helped": helped, "level": v.HELP_LEVELS.get(helped) if helped is not None else None}


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, strategy_id: uuid.UUID) -> HttpResponse:
    strategy = get_strategy_of(request.user, strategy_id)
    form = StrategyForm(formstash.posted_or_kept(request), strategy=strategy)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            services.update_strategy(strategy, **form.values())
            return _detail_url(strategy)

        done = formtokens.save_once(
            request, form, save, message=pgettext("strategy form", "Your changes are saved.")
        )
        if done:
            return done
    return render(request, "goals/strategy_edit/index.html", {"form": form, "strategy": strategy})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def strategy_delete(request: HttpRequest, strategy_id: uuid.UUID) -> HttpResponse:
    strategy = get_strategy_of(request.user, strategy_id)
    if request.method == "POST":
        name = strategy.name  # read before the row (and its key's associated data) is gone
        services.delete_strategy(strategy)
        messages.success(request, pgettext("strategy delete", "“%(name)s” is deleted.") % {"name": name})
        return redirect("goals:strategies")
    return render(request, "goals/strategy_delete/index.html", item(strategy))


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def use_new(request: HttpRequest, strategy_id: uuid.UUID) -> HttpResponse:
    """ "I used it": the day, how much it helped (0 to 4) and a note."""
    strategy = get_strategy_of(request.user, strategy_id)
    form = UseForm(formstash.posted_or_kept(request))
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            use = services.record_use(strategy, **form.values())
            return f"{_detail_url(strategy)}#utilisation-{use.pk}"

        done = formtokens.save_once(
            request,
            form,
            save,
            message=pgettext("strategy use form", "Noted. Thank you for taking care of yourself."),
        )
        if done:
            return done
    return render(request, "goals/use_new/index.html", {"form": form, "strategy": strategy})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def use_edit(request: HttpRequest, strategy_id: uuid.UUID, use_id: uuid.UUID) -> HttpResponse:
    user = request.user
    strategy = get_strategy_of(user, strategy_id)
    use = get_use_of(user, strategy, use_id)
    form = UseForm(formstash.posted_or_kept(request), use=use)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            use.strategy = strategy
            services.update_use(use, **form.values())
            return f"{_detail_url(strategy)}#utilisation-{use.pk}"

        done = formtokens.save_once(
            request, form, save, message=pgettext("strategy use form", "Your changes are saved.")
        )
        if done:
            return done
    return render(request, "goals/use_edit/index.html", {"form": form, "strategy": strategy, "use": use})


@audience("owner")
@login_required
@require_http_methods(["GET", "POST"])
def use_delete(request: HttpRequest, strategy_id: uuid.UUID, use_id: uuid.UUID) -> HttpResponse:
    user = request.user
    strategy = get_strategy_of(user, strategy_id)
    use = get_use_of(user, strategy, use_id)
    if request.method == "POST":
        use.strategy = strategy
        services.delete_use(use)
        messages.success(request, pgettext("strategy use delete", "This use is deleted."))
        return redirect(_detail_url(strategy))
    return render(request, "goals/use_delete/index.html", {"strategy": strategy, **_use_item(use)})
