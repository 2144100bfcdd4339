"""The licence check (scripts/check_licences.py): every installed distribution may be distributed beside MIT."""

import importlib.util
from importlib.metadata import distributions
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_licences.py"
spec = importlib.util.spec_from_file_location("check_licences", SCRIPT)
check_licences = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_licences)


def installed(tmp_path: Path, name: str, version: str = "1.0", **fields: str) -> list:
    """A distribution as pip would leave it: a dist-info folder with a METADATA file."""
    info = tmp_path / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.4", f"Name: {name}", f"Version: {version}"]
    lines += [f"{key.replace('_', '-')}: {value}" for key, value in fields.items() if key != "classifiers"]
    lines += [f"Classifier: {value}" for value in fields.get("classifiers", "").split("|") if value]
    (info / "METADATA").write_text("\n".join(lines) + "\n")
    return list(distributions(path=[str(tmp_path)]))


def test_every_installed_distribution_passes():
    refused = [row for row in check_licences.check(distributions()) if not row[3]]
    assert refused == []


def test_it_refuses_the_agpl_django_fsm_that_would_replace_django_fsm_2(tmp_path):
    [row] = check_licences.check(installed(tmp_path, "django-fsm", "3.0.0", License_Expression="AGPL-3.0-only"))
    name, _, licence, allowed, why = row
    assert (name, licence, allowed) == ("django-fsm", "AGPL-3.0-only", False)
    assert "django_fsm" in why


def test_it_refuses_django_fsm_by_name_even_under_an_old_permissive_licence(tmp_path):
    [row] = check_licences.check(installed(tmp_path, "django-fsm", "2.8.2", License="MIT"))
    assert row[3] is False


@pytest.mark.parametrize(
    "fields",
    [
        {"License_Expression": "GPL-3.0-or-later"},
        {"License_Expression": "MIT AND AGPL-3.0-only"},
        {"License": "GNU Affero General Public License v3"},
        {"classifiers": "License :: OSI Approved :: GNU General Public License v3 (GPLv3)"},
        {"License_Expression": "SSPL-1.0"},
        {},
    ],
    ids=["gpl", "and-agpl", "agpl-words", "gpl-classifier", "sspl", "no-licence"],
)
def test_it_refuses_copyleft_and_unknown_licences(tmp_path, fields):
    [row] = check_licences.check(installed(tmp_path, "some-package", **fields))
    assert row[3] is False


@pytest.mark.parametrize(
    "fields",
    [
        {"License_Expression": "MIT"},
        {"License_Expression": "Apache-2.0 OR BSD-2-Clause"},
        {"License_Expression": "LGPL-3.0-only"},
        {"License": "BSD license (see license.txt for details)"},
        {
            "classifiers": "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)"
            "|License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)"
        },
    ],
    ids=["mit", "either-permissive", "lgpl", "bsd-words", "gpl-or-mpl"],
)
def test_it_allows_permissive_weak_copyleft_and_a_permissive_alternative(tmp_path, fields):
    [row] = check_licences.check(installed(tmp_path, "some-package", **fields))
    assert row[3] is True, row


def test_the_script_exits_non_zero_when_something_is_refused(tmp_path, monkeypatch, capsys):
    agpl = installed(tmp_path, "django-fsm", "3.0.0", License_Expression="AGPL-3.0-only")
    monkeypatch.setattr(check_licences, "distributions", lambda: agpl)
    assert check_licences.main(["--quiet"]) == 1
    assert "REFUSED django-fsm 3.0.0" in capsys.readouterr().err
