from django.contrib.auth.hashers import Argon2PasswordHasher


class SmallHostArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane.

    Django's default (100 MiB) would let a handful of concurrent logins exhaust a Raspberry Pi.
    The algorithm name stays ``argon2`` so hashes remain readable by Django's own hasher.
    """

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
