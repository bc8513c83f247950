"""Registries that higher apps fill in their ``AppConfig.ready()``: core imports no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.utils.functional import Promise

from entraide.core.models import InstanceSettings


class Registered(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


R = TypeVar("R", bound=Registered)


class Registry(Generic[R]):
    """Items by key, each registered once, listed by (order, key)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.items: dict[str, R] = {}

    def register(self, item: R) -> None:
        if item.key in self.items:
            raise ValueError(f"{self.what} {item.key!r} is registered twice")
        self.items[item.key] = item

    def get(self, key: str) -> R | None:
        return self.items.get(key)

    def ordered(self) -> list[R]:
        return sorted(self.items.values(), key=lambda item: (item.order, item.key))


class SectionForm(Protocol):
    """What a settings section's form offers (a Form, or a formset wrapped as one)."""

    def is_valid(self) -> bool: ...

    def apply(self, row: InstanceSettings) -> None:
        """Copy the cleaned values onto the settings row (saved by the caller)."""


@dataclass(frozen=True)
class SettingsSection:
    """One form on the instance-settings page, posted and validated on its own."""

    key: str
    title: str | Promise
    build_form: Callable[[InstanceSettings, dict[str, Any] | None], SectionForm]
    order: int = 100
    template: str = "core/instance_settings/section.html"


settings_sections: Registry[SettingsSection] = Registry("settings section")
register_settings_section = settings_sections.register


# --- Personal data: how each app exports and erases one person's data ------------------------


@dataclass(frozen=True)
class ExportedPart:
    """One part of a person's export: records (JSON objects) and, when tabular, a CSV too."""

    records: list[dict[str, Any]]
    tabular: bool = False
    description: str = ""


@dataclass(frozen=True)
class ExportRegistration:
    key: str  # "journal.checkins": the file name in the archive
    models: tuple[type, ...]  # the models whose rows this part holds (checked by a test)
    export: Callable[[Any], ExportedPart]
    order: int = 100


@dataclass(frozen=True)
class ErasureRegistration:
    key: str
    models: tuple[type, ...]
    erase: Callable[[Any], object]  # deletes the person's rows; runs after their data key is gone
    order: int = 100


exports: Registry[ExportRegistration] = Registry("export part")
erasures: Registry[ErasureRegistration] = Registry("erasure")
register_export = exports.register
register_erasure = erasures.register


# --- Notification kinds: what later apps may tell a person, and how by default --------------------

IN_APP, EMAIL, DIGEST, OFF = "in_app", "email", "digest", "off"
# In the site only; by email straight away; in the daily digest email; not at all. Every channel but
# `off` also stores the notification in the person's notification centre.
NOTIFICATION_CHANNELS: tuple[str, ...] = (IN_APP, EMAIL, DIGEST, OFF)


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification (``"circle.new_link"``), registered by its app in ``ready()``.

    ``label`` names the kind on the preferences page and is the subject of its emails: discreet,
    never a health detail. ``security`` kinds (a new sign-in…) cannot be turned off: always email
    and in-app. ``email_template`` is the prefix of a ``_subject.txt``/``_message.txt`` pair of the
    kind's own for its immediate emails; it must include ``notifications/email/footer.txt``.
    """

    key: str
    label: str | Promise
    description: str | Promise
    default_channel: str = IN_APP
    security: bool = False
    order: int = 100
    email_template: str = ""  # empty: the notifications app's generic, discreet email

    def __post_init__(self) -> None:
        if self.default_channel not in NOTIFICATION_CHANNELS:
            raise ValueError(f"notification kind {self.key!r}: unknown channel {self.default_channel!r}")
        if self.security and self.default_channel != EMAIL:
            raise ValueError(f"notification kind {self.key!r}: a security kind is always emailed")

    def channel_for(self, preferred: str | None) -> str:
        """The channel used: the person's choice, else the default; security kinds always email."""
        if self.security:
            return EMAIL
        if preferred is not None and preferred in NOTIFICATION_CHANNELS:
            return preferred
        return self.default_channel


notification_kinds: Registry[NotificationKind] = Registry("notification kind")
register_notification_kind = notification_kinds.register


# --- Demo data: what `entraide demo` gives each demo person, app by app ----------------------------


@dataclass(frozen=True)
class DemoProvider:
    """``populate(person, rng, today)`` adds realistic, varied data of one app to a demo person.
    It must go through the app's models and rules (bulk inserts are fine) and use only ``rng``
    for randomness, so that a seed gives the same people twice."""

    key: str
    populate: Callable[[Any, Any, Any], object]
    order: int = 100


demo_providers: Registry[DemoProvider] = Registry("demo provider")
register_demo_provider = demo_providers.register


# --- The person's overview page: one section per app ------------------------------------------------


@dataclass(frozen=True)
class OverviewSection:
    """A block of the person's own overview page (``journal:overview``): ``template`` rendered
    with ``context(person)``; a section whose context is ``None`` is left out (nothing to show)."""

    key: str
    title: str | Promise
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 100


overview_sections: Registry[OverviewSection] = Registry("overview section")
register_overview_section = overview_sections.register


# --- The crisis screen: what other apps offer there, and what keeps running -----------------------


@dataclass(frozen=True)
class CrisisAction:
    """A button on the crisis screen (the circle will add "prévenir mon cercle"). ``url_name`` is a
    page of the registering app that says what will happen and acts only on its POST button;
    ``applies(person)`` hides the action when it would do nothing for that person. With no action
    registered, the screen offers none and never suggests that anyone is told."""

    key: str
    label: str | Promise
    url_name: str
    applies: Callable[[Any], bool] = lambda person: True
    order: int = 100


crisis_actions: Registry[CrisisAction] = Registry("crisis action")
register_crisis_action = crisis_actions.register


@dataclass(frozen=True)
class CrisisNotice:
    """What keeps running on its own, whatever the person does on the crisis screen (the circle's
    alert rules): ``lines(person)`` gives plain sentences shown there, none when nothing applies."""

    key: str
    lines: Callable[[Any], list[str | Promise]]
    order: int = 100


crisis_notices: Registry[CrisisNotice] = Registry("crisis notice")
register_crisis_notice = crisis_notices.register


# --- Hooks through which the circle acts on accounts (accounts never imports the circle) -------


@dataclass(frozen=True)
class SignupOpener:
    """A reason to open sign-up to this visitor even when the instance is "by invitation": the
    circle's invitation held in the visitor's session. ``opens(request)`` must be cheap and must
    not write anything."""

    key: str
    opens: Callable[[Any], bool]
    order: int = 100


signup_openers: Registry[SignupOpener] = Registry("sign-up opener")
register_signup_opener = signup_openers.register


@dataclass(frozen=True)
class OthersDataHolder:
    """A reason, besides a role, why a person reads other people's data (the circle: an active
    grant on someone else's data, alerts included). accounts treats such a person like a role
    holder: a second factor before any ``gate`` page opens, and sessions of at most 12 hours.
    Unlike a role, it never blocks the person's own space. ``holds(user)`` costs one query."""

    key: str
    holds: Callable[[Any], bool]
    order: int = 100


others_data_holders: Registry[OthersDataHolder] = Registry("holder of others' data")
register_others_data_holder = others_data_holders.register


# --- API areas: the parts of a person's space an access token may open -----------------------------


@dataclass(frozen=True)
class ApiArea:
    """A part of the person's space that the API serves (``"journal"``), registered by its app.
    A token lists the areas it opens, each read only or read and write; every API router names
    its area (``api.auth.area_router``). A token stores area keys, not choices of a model field:
    a later app adds its area here, and no migration touches the tokens."""

    key: str
    label: str | Promise
    description: str | Promise = ""
    order: int = 100
    # What others share with the token's owner (the circle), not the owner's own space: read
    # only, off unless ticked, never opened by "every area" (a token made before it existed, or
    # made with one scope for every area).
    others: bool = False


api_areas: Registry[ApiArea] = Registry("API area")
register_api_area = api_areas.register


# --- Reportable things: what members may report to the moderators ----------------------------------


@dataclass(frozen=True)
class ReportedItem:
    """What the moderation queue shows of one reported thing, built by its app. ``html`` is safe
    markup the app rendered itself (a post's body); ``place`` names where it is (a space and a
    topic) for moderators only; ``url`` opens it in context ("" when nothing can be opened)."""

    target_id: str
    heading: str
    html: str = ""
    place: str = ""
    url: str = ""
    author_id: Any = None
    author_name: str = ""
    gone: bool = False  # deleted since it was reported
    # Posted without a pseudonym: ``author_name`` then says so, and the queue shows nothing that
    # would name the author (``author_id`` stays, so actions on the member still work).
    anonymous: bool = False


@dataclass(frozen=True)
class Reportable:
    """A kind of thing members may report (``"community.post"``; private messages will add
    theirs). The queue (in ``community``) shows and acts on an item through these callables only:

    - ``describe(ids)`` returns a ``ReportedItem`` per id it still finds, in a fixed number of
      queries (the queue lists many items at once);
    - ``author_of(id)`` is the person the report is about (or ``None``);
    - ``actions`` are the moderation actions that apply to it (keys the queue knows);
    - ``act(action, id, by=moderator, reason=..., **options)`` does one of them, in the caller's
      transaction; the caller logs it and tells the author.
    """

    key: str
    label: str | Promise
    describe: Callable[[list[str]], dict[str, ReportedItem]]
    author_of: Callable[[str], Any]
    actions: tuple[str, ...]
    act: Callable[..., object]
    order: int = 100


reportables: Registry[Reportable] = Registry("reportable")
register_reportable = reportables.register
