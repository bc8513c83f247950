"""The community at scale (issue 21): 2,000 members, 20 spaces, 20,000 topics, 200,000 posts.

Runs inside the server's environment, started by `bench.scenarios.seed_community` through
`entraide manage shell`:

    from bench.seed_community import main; main("bench@example.org")

Bulk inserts, in one transaction; skipped when the spaces exist. Ids are fixed (``topic_id``), so
the scenarios' paths are known in advance. Every space is for members: the bench person reads
them all. The first topic of each space holds 50 posts (one full page), the others 9 or 10.

Seed cache (SQLite, the harness's database): the first run copies the seeded rows to
``bench/cache/community-<schema>.sqlite3`` (``VACUUM INTO``); later runs attach that file and copy
the rows back with ``INSERT … SELECT``, seconds instead of a minute. The file name holds a hash of
the migrations of the tables copied, so that a schema change seeds afresh.

Seed cache (PostgreSQL, ``--database postgres``): the harness seeds a template database once
(``seed_template``, bench/postgres.py) and copies it for each run; ``main`` then finds the
community there and adds the bench person's read positions alone.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from bench.scenarios import COMMUNITY_SPACE_SLUG as SPACE_SLUG
from bench.scenarios import community_topic_id as topic_id
from entraide.accounts.models import User
from entraide.accounts.pseudonyms import canonical
from entraide.community.models import Post, ReadPosition, Space, Topic
from entraide.community.services import render_body

MEMBERS = 2_000
SPACES = 20
TOPICS_PER_SPACE = 1_000
POSTS = 200_000
FULL_TOPIC_POSTS = 50
BATCH = 2_000
MEMBER_EMAIL = "banc-membre-{:04d}@example.org"
CACHE_DIR = Path(__file__).with_name("cache")
# Rows copied to and from the cache, parents first.
TABLES = ("accounts_user", "community_space", "community_topic", "community_post")

BODIES = [
    "Bonjour à tous,\n\nJe viens d'arriver ici. Depuis quelques mois je dors **très mal** et je "
    "n'arrive plus à me concentrer au travail. Est-ce que certains d'entre vous ont trouvé des "
    "choses qui aident ?\n\nMerci de m'avoir lu.",
    "Ce qui m'aide le soir :\n- couper les écrans une heure avant\n- une tisane\n- écrire trois "
    "choses de la journée\n\nÇa ne marche pas à chaque fois, mais *souvent*.",
    "Je comprends tellement. Pour moi, en parler à mon médecin a été le premier pas. Prends soin de toi.",
    "> Est-ce que certains d'entre vous ont trouvé des choses qui aident ?\n\nLa marche le matin, "
    "même dix minutes. Et accepter que certains jours sont plus durs que d'autres.",
    "Merci pour vos messages, ça fait du bien de ne pas se sentir seul·e. Je vous donne des "
    "nouvelles la semaine prochaine.",
    "Il y a une ligne d'écoute gratuite : [la liste est ici](/aide/). N'hésite pas si c'est trop lourd ce soir.",
]
WARNINGS = ["", "", "", "", "deuil", "idées noires"]
TITLES = [
    "Dormir enfin une nuit entière",
    "Reprendre le travail après un arrêt",
    "Parler à ses proches",
    "Les dimanches soir",
    "Petites victoires de la semaine",
    "Trouver un psy près de chez soi",
]


def _posts_in(n: int) -> int:
    """50 in the first topic, 9 in the last 40, 10 elsewhere: 10,000 per space."""
    if n == 0:
        return FULL_TOPIC_POSTS
    return 9 if n >= TOPICS_PER_SPACE - 40 else 10


def schema_key() -> str:
    """A hash of the migrations behind the cached tables."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent / "src" / "entraide"
    for app in ("accounts", "community"):
        for path in sorted((root / app / "migrations").glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def cache_path() -> Path:
    return CACHE_DIR / f"community-{schema_key()}.sqlite3"


def seed() -> None:
    rng = random.Random(21)  # noqa: S311 — sample data, not secrets
    now = timezone.now()
    members = [
        User(
            id=uuid.UUID(int=0x21_0000_0000 + i),
            email=MEMBER_EMAIL.format(i),
            pseudonym=f"Membre{i:04d}",
            pseudonym_key=canonical(f"Membre{i:04d}"),
            password="!",  # noqa: S106 — unusable: these members never log in
        )
        for i in range(MEMBERS)
    ]
    User.objects.bulk_create(members, batch_size=BATCH)
    rendered = [render_body(body) for body in BODIES]
    for s in range(SPACES):
        space = Space.objects.create(
            slug=SPACE_SLUG.format(s + 1),
            title=f"Espace {s + 1}",
            description="Un espace pour parler de ce qui pèse et de ce qui aide.",
            charter="Bienveillance, pas de conseils médicaux, pas de noms.",
            position=s,
        )
        topics, posts = [], []
        for n in range(TOPICS_PER_SPACE):
            count = _posts_in(n)
            started = now - timedelta(days=700) + timedelta(minutes=n * 997)
            author = rng.choice(members)
            topic = Topic(
                id=topic_id(s, n),
                space=space,
                author=author,
                title=f"{rng.choice(TITLES)} ({n})",
                created_at=started,
                # The full topic is the most recent: first in its space's list.
                last_post_at=now if n == 0 else started + timedelta(hours=count),
                post_count=count,
                last_number=count,
            )
            topics.append(topic)
            for k in range(count):
                which = rng.randrange(len(BODIES)) if k else 0
                posts.append(
                    Post(
                        topic=topic,
                        author=author if k == 0 else rng.choice(members),
                        anonymous=rng.random() < 0.05,
                        number=k + 1,
                        body=BODIES[which],
                        body_html=rendered[which],
                        content_warning=rng.choice(WARNINGS),
                        created_at=started + timedelta(minutes=k * 30),
                    )
                )
        Topic.objects.bulk_create(topics, batch_size=BATCH)
        Post.objects.bulk_create(posts, batch_size=BATCH)
        Space.objects.filter(pk=space.pk).update(
            topic_count=len(topics), post_count=len(posts), last_post_at=now
        )


def save_cache() -> None:
    CACHE_DIR.mkdir(exist_ok=True)
    target = cache_path()
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(partial)])
    partial.replace(target)


def restore_cache() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ATTACH DATABASE %s AS seed", [str(cache_path())])
        try:
            with transaction.atomic():
                for table in TABLES:
                    where = " WHERE email LIKE 'banc-membre-%%'" if table == "accounts_user" else ""
                    cursor.execute(f"INSERT INTO main.{table} SELECT * FROM seed.{table}{where}")  # noqa: S608 — fixed names
        finally:
            cursor.execute("DETACH DATABASE seed")


READ_TOPICS_PER_SPACE = 40  # topics the bench person opened in each space: half have new posts


def read_positions(email: str) -> None:
    """The bench person's read positions (not cached: their id differs from run to run): topics
    1–40 of each space opened, the even ones two posts short of their end (the "Non lus" list:
    400 topics, 30 a page), the odd ones read to the end."""
    person = User.objects.get(email=email)
    rows = []
    for s in range(SPACES):
        for n in range(1, READ_TOPICS_PER_SPACE + 1):
            last = _posts_in(n) - (2 if n % 2 == 0 else 0)
            rows.append(ReadPosition(member=person, topic_id=topic_id(s, n), last_read_number=last))
    ReadPosition.objects.bulk_create(rows, batch_size=BATCH)


def seed_template() -> None:
    """The community alone, in the template database the harness makes on PostgreSQL: bulk
    inserts, then the planner's statistics (copied with the template, so that no autovacuum
    analyses the tables in the middle of a measured run). Prints one line for the harness."""
    started = time.monotonic()
    with transaction.atomic():
        seed()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()  # nobody may stay connected to a template
    print(f"seed: bulk inserts and VACUUM ANALYZE in {time.monotonic() - started:.1f} s")


def _summary(how: str, started: float) -> None:
    print(
        f"seed: {MEMBERS} members, {SPACES} spaces, {Topic.objects.count()} topics, "
        f"{Post.objects.count()} posts ({how}, {time.monotonic() - started:.1f} s)"
    )


def main(email: str) -> None:
    """Seed the community unless done, and the bench person's read positions; prints one line
    for the harness (the bench person reads every space as any member does)."""
    started = time.monotonic()
    if Space.objects.filter(slug=SPACE_SLUG.format(1)).exists():
        # A copy of the PostgreSQL template: the community is there, the person's rows are not.
        if ReadPosition.objects.filter(member__email=email).exists():
            print("seed: community already seeded")
        else:
            read_positions(email)
            _summary("in the database already, copied from its template; read positions added", started)
        return
    sqlite = connection.vendor == "sqlite"
    if sqlite and cache_path().exists():
        restore_cache()
        how = f"copied from the seed cache {cache_path().name}"
    else:
        with transaction.atomic():
            seed()
        how = "bulk inserts"
        if sqlite:
            save_cache()
            how += f", cached as {cache_path().name}"
    read_positions(email)
    _summary(how, started)
