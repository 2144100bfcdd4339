"""Ten partnerships of 100,000 cases each on PostgreSQL: does one partnership manager's case list and hotspot page
take the same time as with that partnership alone? (issue 19)

    .venv/bin/python bench/partnerships.py --database-url postgres://postgres@127.0.0.1:5432/rj_partnerships
    .venv/bin/python bench/partnerships.py --database-url postgres://postgres@127.0.0.1:5432/rj_partnerships --keep

Two databases: the one named ("alone": one partnership with cases) and the same name with ``_ten`` (ten
partnerships of as many cases each). Built, unless --keep finds them:

Both are migrated first (a kept one gets the app's newer indexes).

1. ``seed_demo --cases N --walk-limit 0`` (bench/seed.py's fresh database, migrated, reference data and demo users).
   The demo puts about two cases in five in Salford: those are moved to Trafford (their wards mapped to Trafford's
   in code order, their recorded incidents with them), so Trafford is the only partnership with cases.
2. Trafford grown to ``--cases`` by copying its cases, incidents, strand links, people, recorded incidents and their
   strand links with new keys (bench/multiply.py's ``grow``); the hotspot summary rebuilt from the raw rows
   (``recorded.counts.rebuild``); a manager of Trafford only made (``bench_partnership_manager``); VACUUM ANALYZE
   (as autovacuum would after a bulk load: the statistics and the visibility map, which index-only scans need).
3. ``CREATE DATABASE <name>_ten TEMPLATE <name>``, then nine partnerships made there, each with its own copies of
   Trafford's wards (same names, codes ``P02TRF01``...), and all of Trafford's cases copied into each in SQL
   (``INSERT ... SELECT``, new keys, references ``RJ-2026-02...``, incidents and recorded incidents in the new
   partnership's wards, the summary cells copied to those wards); VACUUM ANALYZE.

Then, in this process, the manager fetches each page through Django's test client (signed in, every middleware),
with one connection to each database kept open: round after round (the first a warm-up, not counted), the two
databases in turn (which first alternates) and the pages in a rotating order. Printed: each page's median in
each database and the ratio (ten / alone). Checked, in both databases, before timing: the manager's list holds
exactly ``--cases`` cases, every row of every list page is Trafford's, the filters and the search find the same
number of cases in both, and the hotspot page counts Trafford's recorded incidents only (the number the page
prints equals a raw count over Trafford's wards, and is the same in both). It exits 1 when a ratio is over
``--limit``.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.multiply import copy_table, grow, reference_sql, reset_sequences, tagged_sql  # noqa: E402

BENCH_USER = "bench_partnership_manager"
FIRST, SECOND = "trafford", "salford"
REFERENCE = re.compile(r"RJ-\d{4}-\d+")


def database_names(url: str) -> tuple[str, str]:
    """The two databases' names: the one named (one partnership with cases) and its ``_ten`` twin."""
    name = urlparse(url).path.lstrip("/")
    return name, f"{name}_ten"


def admin_connection(url: str):
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True)


def database_exists(url: str, name: str) -> bool:
    with admin_connection(url) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def ward_case_sql(column: str, mapping: dict[int, int]) -> str:
    """SQL giving, for each old ward id in ``column``, its new one (the id itself where not mapped)."""
    cases = " ".join(f"WHEN {old} THEN {new}" for old, new in sorted(mapping.items()))
    return f"CASE {column} {cases} ELSE {column} END"


def ward_code(code: str, number: int) -> str:
    """Partnership ``number``'s copy of a ward code (codes are unique across the installation, at most 12 long)."""
    made = f"P{number:02d}{code}"
    if len(made) > 12:
        raise ValueError(f"ward code {code!r} too long to copy")
    return made


# ---------------------------------------------------------------------------------------------------
# Building


def gather_into_first(report) -> None:
    """Move the second demo partnership's cases to the first: case rows, incidents' and recorded incidents' wards
    (mapped in code order), so the first is the only partnership with cases."""
    from django.db import connection, transaction

    from accounts.models import Partnership
    from rjcases.models import Case, Ward

    first, second = Partnership.objects.get(code=FIRST), Partnership.objects.get(code=SECOND)
    moved = Case.objects.filter(partnership=second).count()
    if not moved:
        return
    theirs = list(Ward.objects.filter(partnership=second).order_by("code").values_list("pk", flat=True))
    ours = list(Ward.objects.filter(partnership=first).order_by("code").values_list("pk", flat=True))
    mapping = {old: ours[i % len(ours)] for i, old in enumerate(theirs)}
    in_theirs = ", ".join(map(str, theirs))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE rjcases_case SET partnership_id = %s WHERE partnership_id = %s", [first.pk, second.pk])
        for table in ("rjcases_incident", "recorded_recordedincident"):
            mapped = ward_case_sql("ward_id", mapping)
            cursor.execute(f"UPDATE {table} SET ward_id = {mapped} WHERE ward_id IN ({in_theirs})")
    report(f"moved {moved:,} {second.name} cases to {first.name}")


def make_manager(partnership):
    from django.contrib.auth.models import Group

    from accounts import roles
    from accounts.models import Organisation, User

    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        roles.ensure_roles()
        organisation = Organisation.objects.filter(kind=Organisation.Kind.RJ_SERVICE).order_by("pk").first()
        user = User.objects.create_user(
            BENCH_USER, first_name="Bench", last_name="Manager", organisation=organisation, password=None
        )
        user.groups.add(Group.objects.get(name=roles.MANAGER))
    user.partnerships.set([partnership])  # a manager of this one partnership only
    return user


def build_alone(cases: int, report) -> None:
    """Steps 2 of the docstring, on the connected database (each skipped when already done)."""
    from django.db import connection

    from accounts.models import Partnership
    from recorded import counts
    from rjcases.models import Case

    gather_into_first(report)
    first = Partnership.objects.get(code=FIRST)
    have = Case.objects.filter(partnership=first).count()
    if have < cases:
        started = time.monotonic()
        grow(cases, recorded=True, report=report)
        report(f"grown to {Case.objects.count():,} cases in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        cells = counts.rebuild()
        report(f"hotspot summary rebuilt: {cells:,} cells in {time.monotonic() - started:.0f} s")
    make_manager(first)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load: statistics and the visibility map


def add_partnerships(total: int, report) -> None:
    """Step 3 of the docstring, on the connected database: partnerships 2 to ``total``, each a copy of the first."""
    from django.db import connection, transaction
    from django.db.models import Max

    from accounts.models import Partnership
    from recorded.models import RecordedCount, RecordedIncident
    from rjcases.models import Case, Incident, Party, Ward

    first = Partnership.objects.get(code=FIRST)
    if Case.objects.exclude(partnership=first).exists():
        raise SystemExit("The database has cases of other partnerships already: build it anew (without --keep).")
    source_wards = list(Ward.objects.filter(partnership=first).order_by("code"))
    strands, recorded_strands = Incident.strands.through, RecordedIncident.strands.through
    tables = [Case, Incident, strands, Party, RecordedIncident, recorded_strands, RecordedCount]
    base = {model: model.objects.aggregate(m=Max("id"))["m"] or 0 for model in tables}
    outside = RecordedIncident.objects.exclude(ward__partnership=first).count()
    if outside:
        raise SystemExit(f"{outside} recorded incidents are not in {first.name}'s wards: build it anew.")
    started = time.monotonic()
    for number in range(2, total + 1):
        k = number - 1
        partnership = Partnership.objects.create(
            name=f"Bench partnership {number}",
            code=f"bench-{number}",
            area=f"Bench borough {number}",
            service_name=f"Bench RJ service {number}",
        )
        wards = Ward.objects.bulk_create(
            Ward(partnership=partnership, code=ward_code(w.code, number), name=w.name, population=w.population)
            for w in source_wards
        )
        mapping = {old.pk: new.pk for old, new in zip(source_wards, wards, strict=True)}
        tag = f"{number:02d}"
        shift = {
            "case_id": k * base[Case],
            "incident_id": k * base[Incident],
            "supports_id": k * base[Party],
            "recordedincident_id": k * base[RecordedIncident],
        }
        replace = {
            Case: {"reference": reference_sql(tag), "partnership_id": str(partnership.pk)},
            Incident: {"ward_id": ward_case_sql("ward_id", mapping)},
            RecordedIncident: {
                "ward_id": ward_case_sql("ward_id", mapping),
                **{column: tagged_sql(column, f"p{tag}") for column in ("crime_reference", "victim_key", "place_key")},
            },
            RecordedCount: {"ward_id": ward_case_sql("ward_id", mapping)},
        }
        with transaction.atomic(), connection.cursor() as cursor:
            for model in tables:
                # The first partnership's rows are those up to the largest key there was before the copies.
                copy_table(cursor, model, f"id <= {base[model]}", {**shift, "id": k * base[model]}, replace.get(model))
        report(
            f"partnership {number} of {total}: {Case.objects.count():,} cases in all, "
            f"{time.monotonic() - started:.0f} s"
        )
    reset_sequences(tables)


# ---------------------------------------------------------------------------------------------------
# Measuring


def list_pages(manager) -> list[tuple[str, str]]:
    """(label, URL) of the pages timed: the case list, two filters, a name search, the hotspot page."""
    from accounts.models import Partnership
    from rjcases.models import Party, Ward

    first = Partnership.objects.get(code=FIRST)
    ward = Ward.objects.filter(partnership=first).order_by("code")[3]
    party = Party.objects.filter(case__partnership=first).exclude(last_name="").order_by("pk")[100]
    name = urlencode({"q": party.search_name})
    return [
        ("case list", "/cases/"),
        ("case list, status assessment", "/cases/?state=assessment"),
        (f"case list, ward {ward.code}", f"/cases/?ward={ward.code}"),
        ("case list, name search", f"/cases/?{name}"),
        ("hotspots, last 12 months", "/insights/hotspots/"),
    ]


def check_page(manager, url: str, html: str, partnership) -> int:
    """What the page shows, checked to be the manager's partnership's only: the number of cases the list finds
    (counted without the page's cap), or the number of recorded incidents the hotspot page counts."""
    from django.db import connection
    from django.http import QueryDict

    from insights import access
    from insights.incident_forms import IncidentFiltersForm
    from insights.selectors import load_reference
    from insights.selectors.incidents import incident_hotspots
    from rjcases import forms, selectors
    from rjcases.models import Case

    path, _, query = url.partition("?")
    if path == "/insights/hotspots/":
        ref = load_reference(access.partnership_scope(manager))
        form = IncidentFiltersForm(None, ref=ref)
        filters = form.incident_filters()
        result = incident_hotspots(filters, ref)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM recorded_recordedincident r JOIN rjcases_ward w ON w.id = r.ward_id "
                "WHERE w.partnership_id = %s AND r.occurred_on BETWEEN %s AND %s",
                [partnership.pk, filters.period.start, filters.period.end],
            )
            raw = cursor.fetchone()[0]
        assert result.total == raw, f"hotspots count {result.total}, the partnership's wards hold {raw}"
        assert {ward.partnership_id for ward, _n in result.ward_totals} <= {partnership.pk}
        assert f"{result.total} incidents in {len(result.ward_totals)} wards" in html, "the page's total"
        return result.total
    detailed = selectors.sees_details_in_lists(manager)
    form = forms.CaseFilterForm(QueryDict(query) or None, detailed=detailed, user=manager)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    assert not form.is_bound or form.is_valid(), form.errors
    found = selectors.filter_cases(manager, filters).count()
    references = set(REFERENCE.findall(html))
    assert references, f"{url}: no case on the page"
    shown = Case.objects.filter(reference__in=references)
    assert shown.count() == len(references), f"{url}: a reference on the page is no case"
    assert not shown.exclude(partnership=partnership).exists(), f"{url}: another partnership's case on the page"
    return found


def measure(args, names: tuple[str, str]) -> int:
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Partnership, User
    from rjcases.models import Case

    wrappers = {"alone": connections["default"]}
    settings_dict = copy.deepcopy(wrappers["alone"].settings_dict)
    settings_dict["NAME"] = names[1]
    wrappers["ten"] = wrappers["alone"].__class__(settings_dict, "default")

    def use(state: str) -> None:
        connections["default"] = wrappers[state]

    clients, found, queries, shape = {}, {}, {}, {}
    for state in ("alone", "ten"):
        use(state)
        partnership = Partnership.objects.get(code=FIRST)
        manager = User.objects.get(username=BENCH_USER)
        assert Case.objects.visible_to(manager).count() == args.cases, "the manager's cases"
        assert Case.objects.filter(partnership=partnership).count() == args.cases
        shape[state] = (Partnership.objects.filter(cases__isnull=False).distinct().count(), Case.objects.count())
        clients[state] = Client()
        clients[state].force_login(manager)
        pages = list_pages(manager)
        for label, url in pages:
            with CaptureQueriesContext(connection) as captured:
                response = clients[state].get(url)
            assert response.status_code == 200, f"{state} {url}: HTTP {response.status_code}"
            found[state, label] = check_page(manager, url, response.content.decode(), partnership)
            queries[state, label] = len(captured)
        assert found[state, "case list"] == args.cases, f"{state}: the list finds {found[state, 'case list']}"
    for label, _url in pages:
        assert found["alone", label] == found["ten", label], (
            f"{label}: {found['alone', label]} alone, {found['ten', label]} with ten"
        )
    assert shape["ten"] == (args.partnerships, args.partnerships * args.cases), shape

    times: dict = {(state, label): [] for state in wrappers for label, _ in pages}
    cpu: dict = {key: [] for key in times}
    load_before = os.getloadavg()
    started = time.monotonic()
    for round_ in range(args.rounds + 1):
        states = ["alone", "ten"] if round_ % 2 == 0 else ["ten", "alone"]
        for state in states:
            use(state)
            shift = round_ % len(pages)
            for label, url in pages[shift:] + pages[:shift]:
                began, began_cpu = time.perf_counter(), time.process_time()
                response = clients[state].get(url)
                elapsed, used = time.perf_counter() - began, time.process_time() - began_cpu
                assert response.status_code == 200
                if round_:  # the first round warms up
                    times[state, label].append(elapsed)
                    cpu[state, label].append(used)
    load_after = os.getloadavg()
    use("alone")
    median = {key: statistics.median(values) * 1000 for key, values in times.items()}
    median_cpu = {key: statistics.median(values) * 1000 for key, values in cpu.items()}
    print(
        f"PostgreSQL {connection.pg_version // 10000}; alone: {names[0]} ({shape['alone'][0]} partnership with "
        f"cases, {shape['alone'][1]:,} cases); ten: {names[1]} ({shape['ten'][0]} partnerships, "
        f"{shape['ten'][1]:,} cases); the manager of {FIRST} only; {args.rounds} rounds alternated (median), "
        f"{time.monotonic() - started:.0f} s; 2 CPUs, load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after"
    )
    print(
        f"{'page':32} {'finds':>8} {'alone':>9} {'ten':>9} {'ratio':>6} {'CPU alone':>9} {'CPU ten':>9} {'queries':>8}"
    )
    worst = 0.0
    for label, _url in pages:
        ratio = median["ten", label] / median["alone", label]
        worst = max(worst, ratio)
        print(
            f"{label:32} {found['alone', label]:8,} {median['alone', label]:7.1f}ms {median['ten', label]:7.1f}ms "
            f"{ratio:5.2f}x {median_cpu['alone', label]:7.1f}ms {median_cpu['ten', label]:7.1f}ms "
            f"{queries['alone', label]:>3}/{queries['ten', label]:<3}"
        )
    print(f"largest ratio {worst:.2f}x: {'OK' if worst <= args.limit else 'over'} (limit {args.limit}x)")
    return 0 if worst <= args.limit else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://...: the one-partnership database.")
    parser.add_argument("--cases", type=int, default=100_000, help="Cases of each partnership.")
    parser.add_argument("--partnerships", type=int, default=10)
    parser.add_argument("--seed-cases", type=int, default=25_000, help="Cases seed_demo makes (then copied).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--limit", type=float, default=1.2, help="The largest ratio ten / alone that passes.")
    parser.add_argument("--keep", action="store_true", help="Reuse the databases as far as they are built.")
    args = parser.parse_args()
    url = args.database_url
    if urlparse(url).scheme not in ("postgres", "postgresql"):
        raise SystemExit("This bench runs on PostgreSQL: give a postgres:// URL.")
    names = database_names(url)

    def report(line: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {line}", flush=True)

    from bench.seed import fresh_database, manage

    if not (args.keep and database_exists(url, names[0])):
        fresh_database(url)
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "loaddata", "reference", "demo_users", "-v0")
        report(f"seeding {args.seed_cases:,} cases into {names[0]}")
        manage(
            url,
            "seed_demo",
            "--i-know-this-is-not-production",
            "--cases",
            str(args.seed_cases),
            "--seed",
            str(args.seed),
            "--walk-limit",
            "0",
            "--batch",
            "2000",
        )
    for name in names if args.keep else names[:1]:  # a kept database gets the app's newer indexes
        if database_exists(url, name):
            manage(urlparse(url)._replace(path=f"/{name}").geturl(), "migrate", "--noinput", "-v0")
    from bench.pages import setup

    setup(url)
    from django.db import connection, connections

    ten_built = args.keep and database_exists(url, names[1])
    if not ten_built:
        build_alone(args.cases, report)
        connection.close()
        with admin_connection(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{names[1]}"')
            report(f"copying {names[0]} to {names[1]}")
            admin.execute(f'CREATE DATABASE "{names[1]}" TEMPLATE "{names[0]}"')
        settings_dict = copy.deepcopy(connections["default"].settings_dict)
        settings_dict["NAME"] = names[1]
        alone = connections["default"]
        connections["default"] = alone.__class__(settings_dict, "default")
        add_partnerships(args.partnerships, report)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        connection.close()
        connections["default"] = alone
    sys.exit(measure(args, names))


if __name__ == "__main__":
    main()
