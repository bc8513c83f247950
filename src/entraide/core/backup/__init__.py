"""Backups: the database and uploads in one archive; the instance key ring exported apart.

An archive never holds the key ring: a backup kept with its key defeats the encryption. A key
ring export is encrypted with a passphrase, and is meant to be stored somewhere else.

A restore checks everything it can before writing anything (the archive's checksums, an empty
target, that the key ring unwraps every data key of the archive), then puts the key ring, the
database and the uploads in place, and re-applies the erasure journal so that people erased
after the backup was made stay erased. See docs/backup.md.

The package, by concern: ``archive`` (the tar and its manifest), ``create`` (making a backup),
``databases`` (dumping and restoring SQLite and PostgreSQL), ``keyrings`` (checking, merging and
exporting key rings) and ``restore``. What the commands and the tests use is re-exported here.
"""

from entraide.core.backup.archive import (
    DATABASE_MEMBERS,
    FOLDERS,
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    unpack_archive,
)
from entraide.core.backup.create import BackupResult, create_backup
from entraide.core.backup.databases import check_pg_tool_version, copy_rows
from entraide.core.backup.keyrings import (
    PASSPHRASE_ENV,
    ask_passphrase,
    export_keyring,
    import_keyring,
    read_keyring_file,
    write_keyring_export,
)
from entraide.core.backup.restore import RestoreSummary, restore_backup

__all__ = [
    "DATABASE_MEMBERS",
    "FOLDERS",
    "FORMAT",
    "FORMAT_VERSION",
    "PASSPHRASE_ENV",
    "BackupError",
    "BackupResult",
    "RestoreSummary",
    "ask_passphrase",
    "check_pg_tool_version",
    "copy_rows",
    "create_backup",
    "export_keyring",
    "import_keyring",
    "read_keyring_file",
    "restore_backup",
    "unpack_archive",
    "write_keyring_export",
]
