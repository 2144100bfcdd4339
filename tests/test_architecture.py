"""The import direction of docs/architecture.md, held: every import in every module of the apps (including
imports inside functions; migrations and tests aside) goes to the same layer or a lower one, and the rules
beside the layers hold too."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "api",
    "audit",
    "conferences",
    "config",
    "demo",
    "govuk",
    "insights",
    "jobs",
    "letters",
    "notifications",
    "recorded",
    "privacy",
    "rjcases",
)

LAYERS = (
    "accounts and audit",  # 0: users, roles, organisations; the audit chains
    "casework domain",  # 1: rjcases and conferences models, guards, permissions, exceptions, clocks, calendar
    "letters and notifications",  # 2: letters and messages: models, content, rendering, services, selectors, tasks
    "casework services",  # 3: rjcases and conferences services and selectors (rjcases.timeline); recorded incidents
    "web kit",  # 4: govuk (forms, templates, the refusal helper)
    "interfaces",  # 5: views, forms, urls, admin, templatetags of every app; insights; api
    "wiring",  # 6: config, demo, jobs (the scheduler), management commands, app configs
)
INTERFACE_PARTS = {"views", "forms", "urls", "case_urls", "admin", "templatetags"}
CASEWORK = {"rjcases", "conferences", "privacy"}


def layer_of(module: str) -> int:
    """The layer of a project module, by what kind of module it is, then by its app."""
    parts = module.split(".")
    app = parts[0]
    if app in ("config", "demo", "jobs") or "management" in parts or parts[1:] == ["apps"]:
        return 6
    if app in ("insights", "api") or INTERFACE_PARTS.intersection(parts[1:]):
        return 5
    if app == "govuk":
        return 4
    if app in CASEWORK and len(parts) > 1 and parts[1] in ("services", "selectors", "timeline", "dashboards"):
        return 3
    if app == "recorded":
        return 3
    if app in ("letters", "notifications"):
        return 2
    if app in CASEWORK:
        return 1
    if app in ("accounts", "audit"):
        return 0
    raise ValueError(f"{module} is in no layer: add it to docs/architecture.md and to layer_of")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    importer: str
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer} imports {self.imported}: {self.rule}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) for every import anywhere in the tree (functions included), relative ones resolved; for
    ``from package import name`` the submodule when ``name`` is one."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if is_module(candidate) else base))
    return found


def check(source: str, module: str, path: str, *, is_package: bool = False) -> list[Violation]:
    """The imports of one module that go against the stated direction."""
    tree = ast.parse(source, filename=path)
    own_app = module.split(".")[0]
    own_layer = layer_of(module)
    violations = []
    for line, imported in imported_modules(tree, module, is_package):
        app = imported.split(".")[0]
        if app not in APPS:
            continue
        target = layer_of(imported)
        parts = imported.split(".")
        rule = None
        if target > own_layer:
            rule = (
                f"layer {own_layer} ({LAYERS[own_layer]}) may not import layer {target} ({LAYERS[target]}); "
                "imports go down or across, never up"
            )
        elif own_app == "api" and app != "api" and {"forms", "views"}.intersection(parts[1:]):
            rule = "the API imports no app's web forms or views: what both need lives in services or the domain"
        elif own_layer == 4 and app not in ("govuk", "rjcases"):
            rule = "the web kit imports no app but the casework refusals it turns into responses"
        elif own_app == "recorded" and own_layer == 3 and app in CASEWORK and target == 3:
            rule = "recorded incidents read the casework domain only: the casework services call them, not back"
        if rule:
            violations.append(Violation(path, line, module, imported, rule))
    return violations


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            yield path


def test_every_import_goes_the_stated_direction():
    violations = []
    for path in app_modules():
        violations += check(
            path.read_text(), module_name(path), str(path.relative_to(ROOT)), is_package=path.name == "__init__.py"
        )
    assert not violations, "Imports against docs/architecture.md:\n" + "\n".join(map(str, violations))


def test_every_module_of_the_apps_has_a_layer():
    for path in app_modules():
        layer_of(module_name(path))  # raises for a module in no layer


# ---------------------------------------------------------------------------------------------------
# The test of the test: wrong imports are reported, with file, line and rule


def test_it_reports_an_upward_import_inside_a_function():
    source = "from accounts import roles\n\n\ndef seed():\n    from demo.walk import Walker\n    return Walker\n"
    [violation] = check(source, "rjcases.models", "rjcases/models.py")
    assert (violation.path, violation.line, violation.imported) == ("rjcases/models.py", 5, "demo.walk")
    assert str(violation).startswith(
        "rjcases/models.py:5: rjcases.models imports demo.walk: layer 1 (casework "
        "domain) may not import layer 6 (wiring)"
    )


def test_it_reports_the_domain_reaching_for_letters_and_letters_for_services():
    assert [
        v.imported
        for v in check("from letters.services import letters_for_transition\n", "rjcases.guards", "rjcases/guards.py")
    ] == ["letters.services"]
    assert [v.imported for v in check("from rjcases import services\n", "letters.content", "letters/content.py")] == [
        "rjcases.services"
    ]


def test_it_reports_the_api_importing_web_forms_and_views():
    source = "from rjcases.forms import ReferralForm\nfrom rjcases import views\nfrom rjcases import services\n"
    violations = check(source, "api.views.cases", "api/views/cases.py")
    assert [(v.line, v.imported) for v in violations] == [(1, "rjcases.forms"), (2, "rjcases.views")]
    assert "the API imports no app's web forms or views" in violations[0].rule


def test_it_reports_notifications_reaching_for_the_casework_services():
    """Notifications sit below the casework services that write them: the transition service calls them, never
    the other way round."""
    [violation] = check(
        "from rjcases.services import take_transition\n", "notifications.services", "notifications/services.py"
    )
    assert "layer 2 (letters and notifications) may not import layer 3 (casework services)" in violation.rule
    assert (
        check(
            "from notifications.services import notifications_for_transition\n",
            "rjcases.services.transitions",
            "rjcases/services/transitions.py",
        )
        == []
    )


def test_it_resolves_relative_imports():
    [violation] = check("from ..views import refer\n", "rjcases.services.intake", "rjcases/services/intake.py")
    assert violation.imported == "rjcases.views"


def test_it_allows_downward_imports_and_casework_across_rjcases_and_conferences():
    source = (
        "from accounts import roles\nfrom rjcases.models import Case\nfrom conferences.models import Activity\n"
        "from letters.services import letters_for_transition\n"
    )
    assert check(source, "rjcases.services.transitions", "rjcases/services/transitions.py") == []
    assert (
        check("from rjcases.services import take_transition\n", "conferences.services", "conferences/services.py") == []
    )


def test_the_whole_tree_check_fails_on_a_wrong_import(tmp_path, monkeypatch):
    """The walk over the files, not just ``check``: one wrong import in one file fails the test with its place."""
    app = tmp_path / "letters"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text('"""Letters."""\n\n\ndef later():\n    from demo.walk import Walker\n')
    this = sys.modules[__name__]
    monkeypatch.setattr(this, "ROOT", tmp_path)
    monkeypatch.setattr(this, "APPS", ("letters", "demo"))
    with pytest.raises(AssertionError) as failure:
        test_every_import_goes_the_stated_direction()
    assert (
        "letters/models.py:5: letters.models imports demo.walk: layer 2 (letters and notifications) may not import "
        "layer 6" in str(failure.value)
    )
