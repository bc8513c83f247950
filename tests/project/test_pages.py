"""Every page, logged out and as an administrator: one <h1>, a language, the crisis link,
nothing loaded from another host, and every form submits without JavaScript."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from conftest import make_user
from entraide.accounts import invitations
from entraide.accounts import services as account_services
from entraide.accounts.models import Invitation, Role
from entraide.accounts.services import issue_setup_token
from entraide.core import services
from entraide.core.web.routes import PRIVATE_AUDIENCES, audience_of
from entraide.goals.models import CopingStrategy, Goal, RecoveryAssessment, StrategyUse
from entraide.journal.models import Checkin, Indicator, JournalEntry
from entraide.notifications.models import Reminder
from entraide.thoughts import services as thought_services
from entraide.thoughts.models import ThoughtRecord
from tests.project.pages import SAMPLE_KWARGS, SAMPLE_REMINDER_ID, fill, walk

SKIP_NAMES = {
    "core:source",
    "core:healthz",
    "core:security-txt",
    "safety:worker",
    "community:image",
}  # not HTML


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.lang: str | None = None
        self.resources: list[str] = []
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.inline: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "style" in a or any(k.startswith("on") for k in a):
            self.inline.append(f"<{tag} {a}>")
        if tag == "h1":
            self.h1 += 1
        elif tag == "title" and not self.title:  # the page's, not an SVG chart's <title>
            self._in_title = True
        elif tag == "html":
            self.lang = a.get("lang")
        elif tag == "script":
            if "src" in a:
                self.resources.append(a["src"])
            elif a.get("type") != "application/json":  # JSON data never runs
                self.inline.append("<script> without src")
        elif tag in {"img", "iframe", "source", "audio", "video", "embed"} and "src" in a:
            self.resources.append(a["src"])
        elif tag == "link" and "href" in a:
            self.resources.append(a["href"])
        elif tag == "style":
            self.inline.append("<style>")
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "data": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "button"}:
            name = a.get("name")
            kind = a.get("type", "text" if tag == "input" else "submit")
            if not name or kind in {"reset", "button", "image"}:
                return
            if kind == "submit":  # as a browser does: only the button clicked (the first) counts
                if not self._form.get("clicked"):
                    self._form["clicked"] = True
                    self._form["data"][name] = a.get("value", "")
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form["data"][name] = a.get("value", "on")
            else:
                self._form["data"].setdefault(name, a.get("value", ""))
        elif self._form is not None and tag == "select":
            self._select = a.get("name")
        elif self._form is not None and tag == "option" and self._select:
            if self._select not in self._form["data"] or "selected" in a:
                self._form["data"][self._select] = a.get("value", "")
        elif self._form is not None and tag == "textarea":
            self._form["data"].setdefault(a.get("name", ""), "")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def html_pages(client: Client, *, with_routes: bool = False):
    """(url, response) for every GET-able HTML route; a route that cannot be filled fails."""
    for route in walk():
        if route.name in SKIP_NAMES:
            continue
        url = fill(route)
        if route.name == "setup":
            url += f"?token={issue_setup_token()}"
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        if response.status_code in {302, 405}:
            continue
        yield (route, url, response) if with_routes else (url, response)


@pytest.fixture
def people_samples(admin_user):
    create_people_samples(admin_user)


def create_people_samples(admin_user):
    """The person and the invitation the sample URL arguments point to (unknown ones are 404s);
    also run inside a real server's data directory by tests/browser/test_narrow_pages.py."""
    person = make_user("Echantillon", id=uuid.UUID(SAMPLE_KWARGS["person_id"]))
    account_services.grant_role(person, role=Role.MODERATOR, by=admin_user)
    Invitation.objects.create(
        token_hash=invitations.hash_token(SAMPLE_KWARGS["token"]),
        created_by=admin_user,
        expires_at=timezone.now() + timedelta(days=14),
    )
    Reminder.objects.create(
        id=uuid.UUID(SAMPLE_REMINDER_ID), owner=person, kind="testapp.checkin", local_time=time(8, 0)
    )
    # The journal rows the sample ids point to, owned by the administrator who walks the pages.
    Checkin(
        id=uuid.UUID(SAMPLE_KWARGS["checkin_id"]),
        owner=admin_user,
        moment=timezone.now(),
        local_date=timezone.localdate(),
        time_zone=admin_user.time_zone,
        payload={"mood": 6, "emotions": ["calm"], "note": "Exemple"},
    ).save()
    JournalEntry(
        id=uuid.UUID(SAMPLE_KWARGS["entry_id"]),
        owner=admin_user,
        day=date(2026, 3, 1),
        payload={"title": "Exemple", "body": "Un **texte**.", "mood": 5, "tags": ["exemple"]},
    ).save()
    Indicator(
        id=uuid.UUID(SAMPLE_KWARGS["indicator_id"]),
        owner=admin_user,
        kind="choice",
        position=1,
        payload={"name": "Lieu", "choices": ["Maison", "Dehors"]},
    ).save()
    ThoughtRecord(
        id=uuid.UUID(SAMPLE_KWARGS["thought_id"]),
        owner=admin_user,
        day=date(2026, 3, 1),
        follow_up_on=date(2026, 3, 8),
        payload={
            **thought_services.clean_thought(
                day=date(2026, 3, 1),
                thought="Exemple",
                emotions=[{"emotion": "fear", "before": 60, "after": 30}],
                distortions=["labelling"],
            ),
            "follow_up_note": "Mieux",
            "follow_up_intensity": 20,
        },
    ).save()
    goals_samples(admin_user)
    treatments_samples(admin_user)
    community_samples(admin_user)
    from entraide.assessments.models import QuestionnaireResponse

    QuestionnaireResponse(
        id=uuid.UUID(SAMPLE_KWARGS["response_id"]),
        owner=admin_user,
        instrument="phq9",
        local_date=date(2026, 3, 1),
        payload={
            "version": "1",
            "language": "fr",
            "answers": [1, 1, 1, 1, 1, 1, 0, 0, 0],
            "difficulty": 1,
            "raw": 6,
            "percentage": None,
            "band": "mild",
            "cutoffs": [],
            "crisis": False,
        },
    ).save()
    from entraide.safety.models import CrisisMoment

    CrisisMoment(
        id=uuid.UUID(SAMPLE_KWARGS["moment_id"]), owner=admin_user, payload={"source": "button"}
    ).save()
    circle_samples(admin_user, person)


def circle_samples(walker, person):
    """The circle's sample rows: ``person`` shares check-ins and the safety plan with ``walker`` (the
    gate pages), ``walker`` has a link to ``person`` and an invitation (the owner's pages), and the
    sample token opens an invitation of ``person``'s; ``person`` proposed to join ``walker``'s circle,
    ``walker`` sent a proposal of their own, and blocked ``person``."""
    from conftest import link_people
    from entraide.circle import services as circle_services
    from entraide.circle.models import Block, Link, Proposal
    from entraide.circle.models import Invitation as CircleInvitation
    from entraide.circle.scopes import BY_KEY

    link_people(
        person,
        walker,
        scopes=(
            "checkins",
            "safety_plan",
            "notes",
            "indicators",
            "thoughts",
            "goals",
            "assessments",
            "treatments",
        ),
    )
    now = timezone.now()
    own = Link.objects.create(
        id=uuid.UUID(SAMPLE_KWARGS["link_id"]),
        owner=walker,
        supporter=person,
        owner_accepted_at=now,
        supporter_accepted_at=now,
    )
    for scope in BY_KEY:  # every preview of the walker's link
        circle_services.grant_scope(
            own, choice=circle_services.GrantChoice(scope, until=None, visible_from=None), by=walker
        )
    CircleInvitation.objects.create(
        id=uuid.UUID(SAMPLE_KWARGS["invite_id"]),
        owner=walker,
        token_hash=circle_services.hash_token("another-sample-token"),
        expires_at=now + timedelta(days=14),
    )
    CircleInvitation.objects.create(
        owner=person,
        token_hash=circle_services.hash_token(SAMPLE_KWARGS["token"]),
        expires_at=now + timedelta(days=14),
    )
    Proposal.objects.create(
        id=uuid.UUID(SAMPLE_KWARGS["proposal_id"]),
        supporter=person,
        owner=walker,
        address_hash=circle_services.address_key(walker.email),
        address_hint=circle_services.address_hint(walker.email),
        kind="relative",
        expires_at=now + timedelta(days=30),
    )
    Proposal.objects.create(  # one of the walker's own, waiting (it reached nobody)
        supporter=walker,
        address_hash=circle_services.address_key("quelqu-un@example.org"),
        address_hint=circle_services.address_hint("quelqu-un@example.org"),
        expires_at=now + timedelta(days=30),
    )
    Block.objects.create(id=uuid.UUID(SAMPLE_KWARGS["block_id"]), owner=walker, supporter=person)


def community_samples(author):
    """The space, topic and image the sample ids point to (entraide.community)."""
    import io

    from PIL import Image as PILImage

    from entraide.community import services as community_services
    from entraide.community.models import (
        AnonymityLift,
        CannedReply,
        Flag,
        Image,
        ModerationCase,
        Post,
        Space,
        Topic,
    )
    from entraide.core.content import uploads

    space = Space.objects.create(
        id=uuid.UUID(str(SAMPLE_KWARGS["space_id"])),
        slug=str(SAMPLE_KWARGS["space_slug"]),
        title="Exemple",
        charter="Soyons **bienveillants**.",
    )
    now = timezone.now()
    topic = Topic.objects.create(
        id=uuid.UUID(str(SAMPLE_KWARGS["topic_id"])),
        space=space,
        author=author,
        title="Bonjour",
        created_at=now,
        last_post_at=now,
        post_count=1,
    )
    body = "Un *premier* message."
    post = Post.objects.create(
        id=uuid.UUID(str(SAMPLE_KWARGS["post_id"])),
        topic=topic,
        author=author,
        number=1,
        body=body,
        body_html=community_services.render_body(body),
        created_at=now,
    )
    Space.objects.filter(pk=space.pk).update(topic_count=1, post_count=1, last_post_at=now)
    case = ModerationCase.objects.create(
        id=uuid.UUID(str(SAMPLE_KWARGS["case_id"])),
        target_kind=community_services.POST_KIND,
        target_id=str(post.pk),
        member=author,
        weight=1,
        opened_at=now,
    )
    Flag.objects.create(
        case=case,
        target_kind=case.target_kind,
        target_id=case.target_id,
        reason="other",
        note="Exemple",
        created_at=now,
        updated_at=now,
    )
    AnonymityLift.objects.create(
        id=uuid.UUID(str(SAMPLE_KWARGS["lift_id"])),
        target_kind=case.target_kind,
        target_id=case.target_id,
        case=case,
        reason="Une inquiétude pour la sécurité de quelqu'un.",
        requested_at=now,
    )
    CannedReply.objects.create(id=SAMPLE_KWARGS["reply_id"], title="Merci", body="Merci de votre message.")
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    Image.objects.create(
        id=uuid.UUID(str(SAMPLE_KWARGS["image_id"])),
        space=space,
        author=author,
        stored_name=uploads.store(buffer.getvalue(), folder="community", extension="png"),
        content_type=uploads.PNG,
        width=4,
        height=4,
        size=len(buffer.getvalue()),
    )


def treatments_samples(owner):
    """The treatments rows the sample ids point to (entraide.treatments): the sample dose is the
    schedule's dose of 2026-03-02 at 11:00 UTC, whatever the owner's zone."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from entraide.treatments.models import Schedule, SideEffectNote, Treatment

    treatment = Treatment(
        id=uuid.UUID(str(SAMPLE_KWARGS["treatment_id"])), owner=owner, payload={"name": "Exemple"}
    )
    treatment.save()
    local = datetime(2026, 3, 2, 11, 0, tzinfo=UTC).astimezone(ZoneInfo(owner.time_zone))
    Schedule(
        id=uuid.UUID(str(SAMPLE_KWARGS["schedule_id"])),
        owner=owner,
        treatment=treatment,
        kind="daily",
        times=[local.strftime("%H:%M")],
        starts_on=local.date(),
        payload={},
    ).save()
    SideEffectNote(
        id=uuid.UUID(str(SAMPLE_KWARGS["note_id"])),
        owner=owner,
        treatment=treatment,
        day=date(2026, 3, 1),
        payload={"text": "Exemple"},
    ).save()


def goals_samples(owner):
    """The goals rows the sample ids point to (entraide.goals)."""
    sample = {k: uuid.UUID(str(SAMPLE_KWARGS[k])) for k in ("goal_id", "step_id", "strategy_id", "use_id")}
    Goal(
        id=sample["goal_id"],
        owner=owner,
        payload={
            "title": "Exemple",
            "why": "",
            "steps": [{"id": str(sample["step_id"]), "text": "Un pas", "done_at": None}],
        },
    ).save()
    strategy = CopingStrategy(
        id=sample["strategy_id"], owner=owner, payload={"name": "Respirer", "category": "body"}
    )
    strategy.save()
    StrategyUse(
        id=sample["use_id"],
        owner=owner,
        strategy=strategy,
        day=date(2026, 3, 1),
        payload={"helped": 3, "note": ""},
    ).save()
    RecoveryAssessment(
        id=uuid.UUID(str(SAMPLE_KWARGS["assessment_id"])),
        owner=owner,
        month=date(2026, 3, 1),
        payload={"hope": {"score": 6, "words": "Exemple"}},
    ).save()


@pytest.fixture
def published(admin_user, people_samples):
    # So that the version page of a legal document exists.
    services.publish_legal_document(
        kind="privacy",
        language="fr",
        body="## Texte\n\nPremière version.",
        change_summary="",
        base_version=0,
        by=admin_user,
    )


def _clients(admin_user):
    anonymous = Client()
    admin = Client()
    admin.force_login(admin_user)
    return {"anonymous": anonymous, "admin": admin}


@pytest.mark.django_db
def test_every_page_has_one_h1_a_language_and_the_crisis_link(admin_user, published, owner_queries):
    """Under the query hook too (tests/owner_queries.py): each page reads only its visitor's rows,
    or, on a gate route, those of the people the gate let the visitor through to."""
    seen = 0
    for who, client in _clients(admin_user).items():
        for url, response in html_pages(client):
            assert response.status_code == 200, (who, url, response.status_code)
            page = parse(response)
            assert page.h1 == 1, (who, url, page.h1)
            assert page.lang in {"fr", "en"}, (who, url)
            assert "/aide/" in page.links, (who, url, "no crisis link")
            seen += 1
    assert seen >= 12
    assert owner_queries.checked > 0


@pytest.mark.django_db
def test_pages_about_a_person_have_a_neutral_title(admin_user, published):
    """On a shared computer, tabs and history show "Espace personnel" for a person's own pages."""
    neutral = "Espace personnel · entraide"
    private = public = 0
    for route, url, response in html_pages(_clients(admin_user)["admin"], with_routes=True):
        title = " ".join(parse(response).title.split())
        if audience_of(route.callback, route.name) in PRIVATE_AUDIENCES:
            assert title == neutral, (url, title)
            private += 1
        else:
            assert title and title != neutral, (url, title)
            public += 1
    assert private >= 8 and public >= 8, (private, public)


@pytest.mark.django_db
def test_no_page_loads_anything_from_another_host_or_inline(admin_user, published):
    for who, client in _clients(admin_user).items():
        for url, response in html_pages(client):
            page = parse(response)
            foreign = [r for r in page.resources if urlparse(r).netloc or r.startswith("//")]
            assert not foreign, (who, url, foreign)
            assert not page.inline, (who, url, page.inline)


@pytest.mark.django_db
def test_every_form_submits_without_javascript(admin_user, published):
    """Submit each form as a browser without JS would (CSRF enforced): never a 5xx, 403 or 405."""
    submitted = 0
    for who in ("anonymous", "admin"):
        client = _clients(admin_user)[who]
        for url, response in list(html_pages(client)):
            for form in parse(response).forms:
                if "/logout/" in form["action"]:
                    continue  # would end the session for the next pages; tested on its own
                strict = Client(enforce_csrf_checks=True)
                if who == "admin":
                    strict.force_login(admin_user)
                strict.get(url)  # the page sets the CSRF cookie the form's token pairs with
                page_form = next(f for f in parse(strict.get(url)).forms if f["action"] == form["action"])
                action = page_form["action"] or url
                if page_form["method"] == "post":
                    result = strict.post(action, page_form["data"])
                else:
                    result = strict.get(action, page_form["data"])
                assert result.status_code in {200, 302, 400}, (who, url, action, result.status_code)
                submitted += 1
    assert submitted >= 5


@pytest.mark.django_db
def test_logout_form_logs_out_and_clears_the_browser(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    form = next(f for f in parse(client.get("/")).forms if "/logout/" in f["action"])
    response = client.post(form["action"], form["data"])
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_no_template_or_stylesheet_names_another_host():
    """Also the templates no test renders: nothing loads from elsewhere (links to read are fine)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "entraide"
    loads = re.compile(
        r"<(script|link|img|iframe|source|video|audio|embed)\b[^>]*(src|href)=[\"'](https?:)?//", re.I
    )
    css_urls = re.compile(r"(@import|url\()\s*[\"']?(https?:)?//", re.I)
    found = []
    for path in root.rglob("*"):
        if (path.suffix == ".html" and loads.search(path.read_text(encoding="utf-8"))) or (
            path.suffix == ".css" and css_urls.search(path.read_text(encoding="utf-8"))
        ):
            found.append(str(path))
    assert not found, found
