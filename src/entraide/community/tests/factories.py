"""Spaces and topics set up through the services, as in life."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from entraide.community import services
from entraide.community.models import Space, Topic, Visibility


def make_space(
    *,
    slug: str = "entraide",
    title: str = "Entraide",
    visibility: str = Visibility.MEMBERS,
    members: Any = (),
    anonymous_allowed: bool = False,
) -> Space:
    space = services.create_space(
        None,
        slug=slug,
        title=title,
        description="Un espace pour parler.",
        charter="",
        visibility=visibility,
        anonymous_allowed=anonymous_allowed,
    )
    for person in members:
        services.add_space_member(space, member=person)
    return space


def make_topic(
    author: Any, space: Space, *, title: str = "Bonjour", body: str = "Premier message.", **extra: Any
) -> Topic:
    return services.start_topic(author, space, title=title, body=body, **extra)


def png_file(name: str = "photo.png", size: tuple[int, int] = (8, 6)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def set_rules(**values: Any) -> None:
    """Change the community's moderation rules (its instance settings section)."""
    from entraide.core import instance

    row = instance.load_settings()
    row.extra = {**row.extra, "community": {**row.extra.get("community", {}), **values}}
    row.save()
