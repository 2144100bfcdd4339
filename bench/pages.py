"""Time the case pages against the Django admin and the raw SQL of the same rows, on a seeded database.

    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/rj_lists_bench_100k \\
        --rounds 7 --json /tmp/pages-100k.json
    .venv/bin/python bench/pages.py --compare /tmp/pages-1k.json /tmp/pages-100k.json

The database is one `seed_demo` made (bench/seed.py); nothing is seeded here. In one process, round after round
(the first a warm-up, not counted), each page is fetched through Django's test client as the demo manager, the
admin's page for the same rows as a superuser, and the raw SQL of the rows the page shows is run on the same
connection; the three take turns in a rotating order, so each sees the same machine load. Printed: the median of
each, the ratios, the load average before and after. ``--compare`` prints, for two runs' JSON, the ratio of each
page's median (the larger database's over the smaller's: issue 20 asks at most 1.5).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIST_SQL = """
SELECT c.id, c.reference, c.received_on, c.state, r.name, w.name, u.first_name, u.last_name
FROM rjcases_case c JOIN rjcases_referralroute r ON r.id = c.route_id
JOIN rjcases_incident i ON i.case_id = c.id JOIN rjcases_ward w ON w.id = i.ward_id
LEFT JOIN accounts_user u ON u.id = c.facilitator_id
{where} ORDER BY c.received_on DESC, c.id DESC LIMIT 25 OFFSET {offset}
"""


def pages(case, party_name: str, crime_prefix: str, ids: dict, deep: int) -> list[dict]:
    """(label, our URL, the admin's URL or None, the raw SQL and its parameters) for each page timed."""
    where = {
        "list": ("", []),
        "list, a deep page": ("", []),
        "status": ("WHERE c.state = %s", ["assessment"]),
        "route": ("WHERE c.route_id = %s", [ids["route"]]),
        "strand": (
            "WHERE EXISTS (SELECT 1 FROM rjcases_incident_strands s "
            "WHERE s.incident_id = i.id AND s.hatestrand_id = %s)",
            [ids["strand"]],
        ),
        "ward": ("WHERE i.ward_id = %s", [ids["ward"]]),
        "facilitator": ("WHERE c.facilitator_id = %s OR c.co_facilitator_id = %s", [ids["facilitator"]] * 2),
        # The clocks without the "may be contacted" test: about the same rows, a little cheaper.
        "overdue": (
            "WHERE c.state <> 'closed' AND ((c.rj_information_due_on < current_date AND c.rj_information_given_on "
            "IS NULL) OR (c.initial_contact_due_on < current_date AND c.initial_contact_on IS NULL))",
            [],
        ),
        "search: reference": ("WHERE c.reference = %s", [case.reference]),
        "search: crime reference": ("WHERE i.crime_reference LIKE %s", [crime_prefix + "%"]),
        "search: name": (
            "WHERE EXISTS (SELECT 1 FROM rjcases_party p WHERE p.case_id = c.id AND "
            + " AND ".join("p.search_name LIKE %s" for _ in party_name.split())
            + ")",
            [f"%{term}%" for term in party_name.split()],
        ),
    }
    query = {
        "list": ("", ""),
        "list, a deep page": (f"page={deep}", f"p={(deep - 1) * 25 // 100 + 1}"),  # the admin shows 100 a page
        "status": ("state=assessment", "state__exact=assessment"),
        "route": (f"route={ids['route_code']}", f"route__id__exact={ids['route']}"),
        "strand": (f"strand={ids['strand_code']}", None),
        "ward": (f"ward={ids['ward_code']}", None),
        "facilitator": (f"facilitator={ids['facilitator']}", None),
        "overdue": ("overdue=on", None),
        "search: reference": (f"q={case.reference}", f"q={case.reference}"),
        "search: crime reference": (f"q={crime_prefix}", None),
        "search: name": (f"q={party_name.replace(' ', '+')}", None),
    }
    items = []
    for label, (clause, params) in where.items():
        ours, admin = query[label]
        offset = (deep - 1) * 25 if label == "list, a deep page" else 0
        items.append(
            {
                "label": f"web list: {label}" if label.startswith("list") else f"web list, {label}",
                "ours": f"/cases/?{ours}",
                "admin": None if admin is None else f"/admin/rjcases/case/?{admin}",
                "sql": (LIST_SQL.format(where=clause, offset=offset), params),
            }
        )
    items += [
        {
            "label": "API list",
            "ours": "/api/v1/cases/",
            "api": True,
            "admin": "/admin/rjcases/case/",
            "sql": (LIST_SQL.format(where="", offset=0), []),
        },
        {
            "label": "API list, by cursor (deep)",
            "ours": f"/api/v1/cases/?order=updated&cursor={ids['cursor']}",
            "api": True,
            "admin": None,
            "sql": (
                "SELECT id, reference, state, updated_at FROM rjcases_case WHERE updated_at >= %s "
                "AND NOT (updated_at = %s AND id <= %s) ORDER BY updated_at, id LIMIT 26",
                [ids["cursor_at"], ids["cursor_at"], ids["cursor_id"]],
            ),
        },
        {
            "label": "case page",
            "ours": f"/cases/{case.reference}/",
            "admin": f"/admin/rjcases/case/{case.pk}/change/",
            "sql": (
                "SELECT c.*, i.*, p.* FROM rjcases_case c JOIN rjcases_incident i ON i.case_id = c.id "
                "JOIN rjcases_party p ON p.case_id = c.id WHERE c.reference = %s",
                [case.reference],
            ),
        },
        {
            "label": "timeline",
            "ours": f"/cases/{case.reference}/timeline/",
            "admin": f"/admin/rjcases/case/{case.pk}/history/",
            "sql": ("SELECT * FROM rjcases_casetransition WHERE case_id = %s ORDER BY at, id", [case.pk]),
        },
    ]
    return items


def setup(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.RJ_TWO_FACTOR_REQUIRED = False
    logging.getLogger("rj.access").setLevel(logging.WARNING)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "1000000/minute", "anonymous": "1000000/minute"},
    }


def sample(manager):
    """A case from the middle of the list with a crime reference and a named person, and the filters' values."""
    from django.db.models import Max, Min

    from api.pagination import encode_cursor
    from rjcases.models import Case, HateStrand, Party, ReferralRoute, Ward

    span = Case.objects.aggregate(low=Min("id"), high=Max("id"))
    middle = (span["low"] + span["high"]) // 2
    case = (
        Case.objects.filter(pk__gte=middle, incident__crime_reference__gt="", facilitator__isnull=False)
        .order_by("pk")
        .select_related("incident")
        .first()
    )
    party = Party.objects.filter(case=case).exclude(last_name="").order_by("pk").first()
    party_name = party.search_name if party else "amina"
    crime_prefix = case.incident.crime_reference[:6]
    cursor_case = Case.objects.order_by("updated_at", "id")[Case.objects.count() // 2]
    route, strand, ward = (
        ReferralRoute.objects.get(code="police"),
        HateStrand.objects.order_by("pk")[1],
        Ward.objects.order_by("pk")[3],
    )
    ids = {
        "route": route.pk,
        "route_code": route.code,
        "strand": strand.pk,
        "strand_code": strand.code,
        "ward": ward.pk,
        "ward_code": ward.code,
        "facilitator": case.facilitator_id,
        "cursor": encode_cursor(cursor_case.updated_at, cursor_case.pk),
        "cursor_at": cursor_case.updated_at,
        "cursor_id": cursor_case.pk,
    }
    return case, party_name, crime_prefix, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", help="Write the medians here, for --compare.")
    parser.add_argument("--compare", nargs=2, metavar=("SMALLER", "LARGER"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.database_url:
        parser.error("--database-url is needed (or --compare)")
    load_before = os.getloadavg()
    setup(args.database_url)
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from api.models import ApiToken
    from rjcases.models import Case

    manager = User.objects.get(username="manager")
    admin, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "Bench"}
    )
    ours, theirs = Client(), Client()
    ours.force_login(manager)
    theirs.force_login(admin)
    _token, raw_token = ApiToken.issue(manager, name="bench/pages.py")
    case, party_name, crime_prefix, ids = sample(manager)
    cases = Case.objects.count()
    deep = min(200, cases // 25)  # page 200, or the last page of a smaller list
    items = pages(case, party_name, crime_prefix, ids, deep)

    def fetch(client, url, api=False):
        headers = {"Authorization": f"Bearer {raw_token}"} if api else {}
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        elapsed = time.perf_counter() - started
        cpu_times.setdefault(url, []).append(time.process_time() - cpu)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return elapsed

    def raw(sql, params):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
        return time.perf_counter() - started

    times: dict = {item["label"]: {"ours": [], "admin": [], "raw": []} for item in items}
    cpu_times: dict = {}  # this process's CPU time per URL (the database server's is not in it)
    for round_ in range(args.rounds + 1):
        for item in items:
            runs = [
                ("ours", lambda item=item: fetch(ours, item["ours"], item.get("api", False))),
                ("raw", lambda item=item: raw(*item["sql"])),
            ]
            if item["admin"]:
                runs.append(("admin", lambda item=item: fetch(theirs, item["admin"])))
            shift = round_ % len(runs)
            for method, run in runs[shift:] + runs[:shift]:
                elapsed = run()
                if round_:  # the first round warms up
                    times[item["label"]][method].append(elapsed)
    load_after = os.getloadavg()
    medians = {
        label: {method: statistics.median(values) * 1000 if values else None for method, values in found.items()}
        for label, found in times.items()
    }
    for item in items:  # warm-up included: CPU time hardly varies with the machine's load
        medians[item["label"]]["ours_cpu"] = statistics.median(cpu_times[item["ours"]]) * 1000
    print(
        f"{connection.vendor}, {cases:,} cases (deep page {deep}), {args.rounds} rounds (median), 2 CPUs, load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; name searched: {party_name!r}, "
        f"crime reference start {crime_prefix!r}"
    )
    print(f"{'page':38} {'ours':>9} {'admin':>9} {'raw SQL':>9} {'ours/admin':>10} {'ours/raw':>9} {'ours CPU':>9}")
    for label, found in medians.items():
        admin_ms = f"{found['admin']:7.1f}ms" if found["admin"] is not None else f"{'-':>9}"
        ratio = f"{found['ours'] / found['admin']:9.2f}x" if found["admin"] else f"{'-':>10}"
        print(
            f"{label:38} {found['ours']:7.1f}ms {admin_ms} {found['raw']:7.2f}ms {ratio} "
            f"{found['ours'] / found['raw']:8.0f}x {found['ours_cpu']:7.1f}ms"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"cases": cases, "vendor": connection.vendor, "medians": medians}))


def compare(smaller: str, larger: str) -> None:
    a, b = (json.loads(Path(path).read_text()) for path in (smaller, larger))
    print(f"{b['vendor']} {b['cases']:,} cases / {a['vendor']} {a['cases']:,} cases, medians of ours (limit 1.5):")
    print(f"{'page':38} {'smaller':>9} {'larger':>9} {'ratio':>7} {'CPU ratio':>9}")
    worst = 0.0
    for label, found in b["medians"].items():
        ratio = found["ours"] / a["medians"][label]["ours"]
        cpu_ratio = found["ours_cpu"] / a["medians"][label]["ours_cpu"]
        worst = max(worst, ratio)
        print(f"{label:38} {a['medians'][label]['ours']:7.1f}ms {found['ours']:7.1f}ms {ratio:6.2f}x {cpu_ratio:8.2f}x")
    print(f"largest ratio {worst:.2f}x: {'OK' if worst <= 1.5 else 'over 1.5'}")


if __name__ == "__main__":
    main()
