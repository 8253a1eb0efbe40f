"""The embedded server's short socket folder lives in a private folder of ours: one that
another user planted first (a link, a folder of theirs, a folder others may write to) is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.db.embedded import EmbeddedPostgres, EmbeddedPostgresError, private_directory

ME = os.geteuid()


def test_a_new_folder_is_created_private(tmp_path: Path) -> None:
    made = private_directory(tmp_path / "ours", owner=ME, mode=0o700)
    assert made.is_dir()
    assert made.stat().st_mode & 0o777 == 0o700


def test_an_existing_private_folder_of_ours_is_kept(tmp_path: Path) -> None:
    (tmp_path / "ours").mkdir(mode=0o700)
    assert private_directory(tmp_path / "ours", owner=ME, mode=0o700) == tmp_path / "ours"


def test_a_link_is_refused_and_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    (tmp_path / "planted").symlink_to(target)
    with pytest.raises(EmbeddedPostgresError, match="not a private folder"):
        private_directory(tmp_path / "planted", owner=ME, mode=0o700)


def test_a_folder_others_may_write_to_is_refused(tmp_path: Path) -> None:
    (tmp_path / "open").mkdir()
    (tmp_path / "open").chmod(0o777)
    with pytest.raises(EmbeddedPostgresError, match="not a private folder"):
        private_directory(tmp_path / "open", owner=ME, mode=0o700)


def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    (tmp_path / "theirs").mkdir(mode=0o700)
    with pytest.raises(EmbeddedPostgresError, match="not a private folder"):
        private_directory(tmp_path / "theirs", owner=ME + 1, mode=0o700)


def test_a_long_data_path_gets_its_socket_folder_under_a_private_folder(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / ("x" * 120) / "pg")
    assert server.socket_dir.parent.name == f"massar-{ME}"
    assert len(str(server.socket_dir / ".s.PGSQL.5432")) <= 100
