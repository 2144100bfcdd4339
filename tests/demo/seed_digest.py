"""A database-independent summary of the demo data, to compare two seeded databases.

Every row of the case models, its many-to-many links and its history rows, with primary keys replaced by
natural keys (the case reference and the row's place among that case's rows of its model), so the same
data written by the walk or in bulk, into different databases, summarises the same.
"""

import hashlib
import json
from collections import defaultdict

from demo.bulk import _M2M, MODELS
from rjcases.models import Case

# The audit chain's salted columns: a random salt per row (audit.chain), so two seedings never share them. Each
# chain is checked by its own tests (tests/audit) and by ``verify_audit``; its place (``chain_seq``) is compared.
SALTED = {"chain_prev", "chain_hash", "personal_salt", "personal_digest"}


def _case_of(model, values, keys):
    if model is Case:
        return values["reference"]
    for attname in ("case_id", "party_id", "agreement_id"):
        if attname in values:
            related = {"case_id": Case}.get(attname) or model._meta.get_field(attname[:-3]).related_model
            return keys[related][values[attname]][1]
    raise LookupError(model)


def summary(using: str = "default") -> dict:
    """{model label: [rows]} for every seeded model, its links and its history, free of database ids."""
    keys: dict = {}  # model -> {pk: natural key}
    result: dict = {}
    for model in MODELS:
        fields = [f for f in model._meta.concrete_fields if f.attname not in SALTED]
        rows = list(model.objects.using(using).order_by("id").values(*[f.attname for f in fields]))
        ordinal: dict = defaultdict(int)
        keys[model] = {}
        for values in rows:
            case = _case_of(model, values, keys)
            keys[model][values["id"]] = (model.__name__, case, ordinal[case])
            ordinal[case] += 1
        result[model.__name__] = [
            _natural(model, values, keys) for values in sorted(rows, key=lambda v: keys[model][v["id"]])
        ]
        for name in _M2M.get(model, ()):
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            target_keys = keys.get(field.related_model, {})
            links = through.objects.using(using).values_list(source, target)
            result[f"{model.__name__}.{name}"] = sorted([keys[model][s], target_keys.get(t, t)] for s, t in links)
        history = getattr(model, "history", None)
        if history is None:
            continue
        history_model = history.model
        tracked = [f.attname for f in history_model.tracked_fields]
        m2m_names = [f.name for f in getattr(history_model, "_history_m2m_fields", [])]
        entries = []
        m2m_links = {}
        for name in m2m_names:
            field = model._meta.get_field(name)
            target = f"{field.m2m_reverse_field_name()}_id"
            links = defaultdict(list)
            for history_id, target_id in (
                getattr(history_model, name).model.objects.using(using).values_list("history_id", target)
            ):
                links[history_id].append(target_id)
            m2m_links[name] = (keys.get(field.related_model, {}), links)
        for h in history_model.objects.using(using).order_by("id", "history_date", "history_id"):
            values = {a: getattr(h, a) for a in tracked}
            entry = _natural(model, values, keys)
            entry.update(
                _of=keys[model][h.id],
                _type=h.history_type,
                _date=h.history_date.isoformat(),
                _user=h.history_user_id,
                _reason=h.history_change_reason,
            )
            for name, (target_keys, links) in m2m_links.items():
                entry[f"_{name}"] = sorted(str(target_keys.get(t, t)) for t in links[h.history_id])
            entries.append((keys[model][h.id], h.history_id, entry))
        result[f"{model.__name__}.history"] = [entry for *_, entry in sorted(entries, key=lambda e: e[:2])]
    return json.loads(json.dumps(result, default=str, sort_keys=True))


def _natural(model, values: dict, keys: dict) -> dict:
    out = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname not in values:
            continue
        value = values[f.attname]
        if f.is_relation and f.related_model in keys and value is not None:
            value = keys[f.related_model].get(value, value)
        if f.attname == "data" and isinstance(value, dict):
            value = {k: _data_value(k, v, keys) for k, v in value.items()}
        out[f.attname] = value
    return out


def _data_value(key, value, keys):
    from conferences.models import Activity, Agreement

    related = {"activity": Activity, "agreement": Agreement}.get(key)
    return keys[related].get(value, value) if related else value


def digest(data: dict) -> str:
    """A short fingerprint of a summary: equal summaries, equal digests."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def first_difference(a: dict, b: dict) -> str:
    """Where two summaries first differ, in words (for a readable test failure)."""
    for name in sorted(set(a) | set(b)):
        left, right = a.get(name), b.get(name)
        if left == right:
            continue
        if not isinstance(left, list) or not isinstance(right, list):
            return f"{name}: {left!r} != {right!r}"
        if len(left) != len(right):
            return f"{name}: {len(left)} rows != {len(right)} rows"
        for i, (x, y) in enumerate(zip(left, right, strict=True)):
            if x != y:
                if isinstance(x, dict) and isinstance(y, dict):
                    diff = {k: (x.get(k), y.get(k)) for k in set(x) | set(y) if x.get(k) != y.get(k)}
                    return f"{name}[{i}] differs: {diff}"
                return f"{name}[{i}]: {x!r} != {y!r}"
    return ""
