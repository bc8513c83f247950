"""Pseudonyms are unique ignoring case, accents and look-alike characters, and some are reserved."""

from __future__ import annotations

import unicodedata

# Characters people mistake for one another, folded to one representative.
LOOKALIKES = str.maketrans(
    {"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "$": "s", "3": "e", "@": "a", "4": "a"}
)
RESERVED = {
    "admin",
    "administrateur",
    "administrator",
    "moderateur",
    "moderator",
    "modo",
    "entraide",
    "support",
    "equipe",
    "team",
    "staff",
    "root",
    "system",
    "systeme",
    "aide",
    "help",
    "anonyme",
    "anonymous",
}


def canonical(pseudonym: str) -> str:
    """The form two pseudonyms must not share: no accents, no case, look-alikes folded, no separators."""
    decomposed = unicodedata.normalize("NFKD", pseudonym)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    folded = bare.translate(LOOKALIKES)
    return "".join(c for c in folded if c.isalnum())


def is_reserved(pseudonym: str, *, instance_name: str = "") -> bool:
    key = canonical(pseudonym)
    reserved = {canonical(word) for word in RESERVED}
    if instance_name:
        reserved.add(canonical(instance_name))
    return key in reserved
