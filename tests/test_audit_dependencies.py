"""The offline vulnerability check (scripts/audit_dependencies.py) finds what the advisory snapshot lists."""

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit_dependencies = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_dependencies)
SNAPSHOT = json.loads(audit_dependencies.SNAPSHOT.read_text())


def ids(pinned: dict[str, str]) -> set[str]:
    return {advisory["id"] for _, _, advisory in audit_dependencies.audit(pinned, SNAPSHOT)}


def test_the_pinned_requirements_have_no_known_vulnerability():
    pinned = audit_dependencies.pins([audit_dependencies.ROOT / "requirements-dev.txt"])
    assert {"django", "pytest"} <= set(pinned)  # -r requirements.txt was followed
    assert audit_dependencies.audit(pinned, SNAPSHOT) == []


def test_it_finds_a_reportlab_advisory_before_its_fix_and_not_after():
    # PYSEC-2021-146 (CVE-2020-28463): server-side request forgery through image URLs, fixed in 3.5.55.
    assert "PYSEC-2021-146" in ids({"reportlab": "3.5.54"})
    assert "PYSEC-2021-146" not in ids({"reportlab": "3.5.55"})


def test_it_reads_ranges_with_several_branches():
    # PYSEC-2024-70: Django 5.0 before 5.0.8 and 4.2 before 4.2.15.
    assert "PYSEC-2024-70" in ids({"django": "4.2.14"})
    assert "PYSEC-2024-70" in ids({"django": "5.0.7"})
    assert "PYSEC-2024-70" not in ids({"django": "4.2.15"})
    assert "PYSEC-2024-70" not in ids({"django": "5.0.8"})


def test_the_script_fails_on_a_vulnerable_pin(tmp_path, capsys):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("reportlab==3.5.54  # letters\n")
    assert audit_dependencies.main([str(requirements)]) == 1
    assert "VULNERABLE reportlab==3.5.54" in capsys.readouterr().err
