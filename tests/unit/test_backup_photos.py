"""Photos come back from a backup's photos.tar as bytes only: a member that is not a photo by
its name (a path out of the folder, a link) stops the restore before anything of it is written."""

from __future__ import annotations

import hashlib
import io
import tarfile

import pytest

from worker_app import backup


def _photo(data: bytes) -> tuple[str, bytes]:
    return hashlib.sha256(data).hexdigest()[:32] + ".jpg", data


def _archive(path, members):
    with tarfile.open(path, "w") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)


def _file(name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o4777  # a setuid mode the restore must not take over
    return info, data


def test_a_photo_comes_back_with_its_bytes_and_not_the_archives_mode(tmp_path):
    name, data = _photo(b"\xff\xd8 a photo")
    _archive(tmp_path / "photos.tar", [_file(name, data)])
    backup._unpack_photos(tmp_path / "photos.tar", tmp_path / "out",
                          {"count": 1, "sha256": backup._names_digest([name])})
    restored = tmp_path / "out" / name
    assert restored.read_bytes() == data
    assert not restored.stat().st_mode & 0o4000


@pytest.mark.parametrize("member", ["path", "link"])
def test_a_member_that_is_not_a_photo_stops_the_restore_and_nothing_of_it_is_written(tmp_path, member):
    name, data = _photo(b"\xff\xd8 another")
    if member == "path":
        bad = _file("../" + name, data)
    else:
        info = tarfile.TarInfo(name)
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        bad = (info, None)
    _archive(tmp_path / "photos.tar", [bad])
    with pytest.raises(backup.BackupError, match="unexpected file"):
        backup._unpack_photos(tmp_path / "photos.tar", tmp_path / "out", {"count": 1, "sha256": ""})
    assert not (tmp_path / name).exists() and not (tmp_path / "out" / name).exists()
