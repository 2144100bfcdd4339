"""The test databases' copies (tests/dbcache.py) are keyed on what makes a database: a changed migration, or a
changed module that writes rows after migrate, migrates afresh instead of reusing a stale copy."""

from types import SimpleNamespace

from django.db import connection

from tests import dbcache


def fake_project(tmp_path, monkeypatch):
    app = tmp_path / "someapp"
    (app / "migrations").mkdir(parents=True)
    (app / "migrations" / "0001_initial.py").write_text("operations = []\n")
    for name in dbcache.DATA_MODULES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# receivers\n")
    monkeypatch.setattr(dbcache, "ROOT", tmp_path)
    monkeypatch.setattr(dbcache.apps, "get_app_configs", lambda: [SimpleNamespace(path=str(app))])
    return app


def test_the_key_is_the_same_for_the_same_files(tmp_path, monkeypatch):
    fake_project(tmp_path, monkeypatch)
    assert dbcache.key(connection) == dbcache.key(connection)


def test_a_changed_or_added_migration_changes_the_key(tmp_path, monkeypatch):
    app = fake_project(tmp_path, monkeypatch)
    before = dbcache.key(connection)
    (app / "migrations" / "0001_initial.py").write_text("operations = ['changed']\n")
    changed = dbcache.key(connection)
    (app / "migrations" / "0002_more.py").write_text("operations = []\n")
    added = dbcache.key(connection)
    assert len({before, changed, added}) == 3


def test_a_changed_module_that_writes_rows_after_migrate_changes_the_key(tmp_path, monkeypatch):
    fake_project(tmp_path, monkeypatch)
    before = dbcache.key(connection)
    (tmp_path / "accounts/roles.py").write_text("# a new role\n")
    assert dbcache.key(connection) != before


def test_the_real_project_keys_every_installed_apps_migrations():
    assert len(dbcache.key(connection)) == 16
    assert all((dbcache.ROOT / name).is_file() for name in dbcache.DATA_MODULES)
