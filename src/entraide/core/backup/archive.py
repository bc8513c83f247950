"""Backup archives: a tar of the database dump and the data folders, with a manifest of
checksums, written under a temporary name and read back only after every member is checked."""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.utils import timezone

FORMAT = "entraide-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/entraide.sqlite3", "postgresql": "database/entraide.pgdump"}
# Folders of the data directory whose files are data that nothing can rebuild (see "How to add a
# new kind of file to the backup" in docs/backup.md). Never secrets: the archive must hold no key.
FOLDERS = ("uploads",)
BACKUPS_DIR = "backups"


class BackupError(Exception):
    """A backup or restore cannot go on. The message says why and what to do; it never holds
    personal data (it is printed, and may be logged by whatever runs the command)."""


# --- Archives -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrappedKey:
    """A ``core.DataKey`` row as read from a dumped database, without Django."""

    scope: str
    owner_id: str | None
    key_id: str
    wrapped: bytes


def new_file_path(output: Path | None, *, default_dir: Path, stem: str, suffix: str) -> Path:
    """``output`` if it is a free file name, else a timestamped name in ``output`` (a directory)
    or ``default_dir``. Never an existing file: a backup must not silently replace another."""
    if output is not None and not output.is_dir():
        if output.exists():
            raise BackupError(f"{output} already exists: choose another name")
        if not output.parent.is_dir():
            raise BackupError(f"the directory {output.parent} does not exist")
        return output
    directory = output if output is not None else default_dir
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    candidate, n = directory / f"{stem}-{stamp}{suffix}", 1
    while candidate.exists():
        candidate, n = directory / f"{stem}-{stamp}-{n}{suffix}", n + 1
    return candidate


def folder_files(data_dir: Path, folder: str) -> list[tuple[str, Path]]:
    """(member name, path) of every regular file under ``data_dir/folder``, in a stable order.

    Symbolic links are left out: one could point outside the data directory.
    """
    top = data_dir / folder
    if not top.is_dir():
        return []
    files = []
    for root, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                files.append((f"{folder}/{path.relative_to(top).as_posix()}", path))
    return files


class _HashingReader:
    """Hashes exactly the bytes tarfile copies into the archive, so that the manifest's checksum
    is the member's, even if the file changed between being listed and being read."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1, /) -> bytes:
        chunk = self._file.read(size)
        self.sha256.update(chunk)
        return chunk


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        info = tarfile.TarInfo(name)
        stat = os.fstat(file.fileno())
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": info.size}


def write_archive(target: Path, members: list[tuple[str, Path]], manifest: dict[str, Any]) -> None:
    """A tar.gz of ``members`` then ``manifest.json`` (last: it holds the members' checksums)."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            # Level 6: nearly the size of level 9 in a fraction of the time on a small host.
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                for name, path in members:
                    manifest["members"][name] = _add_file(tar, name, path)
                body = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class StagedArchive:
    """An archive unpacked into a temporary directory, its checksums verified."""

    root: Path
    manifest: dict[str, Any]

    @property
    def vendor(self) -> str:
        return str(self.manifest["database"]["vendor"])

    @property
    def database(self) -> Path:
        return self.root / str(self.manifest["database"]["member"])

    def folder(self, name: str) -> Path:
        return self.root / name

    def file_count(self) -> int:
        return sum(1 for f in FOLDERS for p in self.folder(f).rglob("*") if p.is_file())


def unpack_archive(archive: Path, dest: Path) -> StagedArchive:
    """Unpack ``archive`` into ``dest`` and verify it against its manifest."""
    if not archive.is_file():
        raise BackupError(f"there is no archive at {archive}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                _check_member(member)
            tar.extractall(dest, filter="data")
        manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        raise BackupError(f"{archive} cannot be read as an entraide backup ({exc})") from None
    _check_manifest(manifest, archive)
    _verify_members(dest, manifest, archive)
    return StagedArchive(dest, manifest)


def _check_member(member: tarfile.TarInfo) -> None:
    name = member.name
    allowed = name == MANIFEST or name.startswith(tuple(f"{top}/" for top in ("database", *FOLDERS)))
    if not allowed or not (member.isfile() or member.isdir()) or ".." in name.split("/"):
        raise BackupError(f"unexpected member {name!r}: this is not an archive made by `entraide backup`")


def _check_manifest(manifest: Any, archive: Path) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not an archive made by `entraide backup`")
    version = manifest.get("version")
    # Older formats stay readable; a newer one may hold what this code would silently drop.
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{archive} has format version {version}; this entraide reads up to version "
            f"{FORMAT_VERSION}: restore it with the entraide version that made it "
            f"({manifest.get('entraide_version', 'unknown')}) or a later one"
        )
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("member") not in DATABASE_MEMBERS.values():
        raise BackupError(f"{archive}: the manifest names no database")


def _verify_members(root: Path, manifest: dict[str, Any], archive: Path) -> None:
    listed: dict[str, Any] = manifest.get("members", {})
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(listed) or manifest["database"]["member"] not in present:
        raise BackupError(f"{archive} is damaged: its files do not match its manifest")
    damaged = [name for name, entry in listed.items() if _sha256(root / name) != entry.get("sha256")]
    if damaged:
        raise BackupError(f"{archive} is damaged: {len(damaged)} file(s) fail their checksum")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def copy_private(source: Path, dest: Path) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
