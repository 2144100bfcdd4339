"""Who may see which insights. Built from the role predicates in ``accounts.roles``.

Insights show counts only: never a person harmed or responsible, a name of either, or a case reference.

- Managers: everything, including the per-facilitator breakdown, and they keep the centre register.
- Facilitators: every borough-wide figure (hotspots, performance, the quarterly return, satisfaction, the
  centre register and each centre's survey counts), but not the per-facilitator breakdown and not the
  free-text survey comments.
- Police referrers and victims' caseworkers: the hotspot analysis only (borough-wide counts of where
  incidents were reported: the partnership's hate crime plan asks its partners to use it). Not the
  service's performance, the return, the RJ satisfaction figures or the centres' surveys.
- Reporting-centre staff: their own centre's register entry, the reports taken there and its survey
  results (with comments); they record survey answers and make survey links for their centre only.
- Anyone, without signing in: a one-use survey link, which can only submit answers.

Every figure is of the reader's partnerships (``partnership_scope``; the regional lead's: every partnership's),
and so are the centres: a centre's partnership is its ward's, and another partnership's centre is a 404.
"""

from __future__ import annotations

from accounts import roles


def partnership_scope(user) -> tuple[int, ...] | None:
    """Whose figures this user reads: the regional lead every partnership's (None); anyone else those of the
    partnerships they belong to (none at all: no figures)."""
    if roles.is_regional_lead(user):
        return None
    return tuple(sorted(roles.partnership_ids(user)))


def sees_borough_figures(user) -> bool:
    """Hotspots, performance, the quarterly return, satisfaction: the RJ service's staff, of their partnerships;
    the regional lead, of every partnership."""
    return roles.is_manager(user) or roles.is_facilitator(user) or roles.is_regional_lead(user)


def sees_comparison(user) -> bool:
    """The comparison between partnerships: the regional lead only (each partnership's staff see their own)."""
    return roles.is_regional_lead(user)


def sees_hotspots(user) -> bool:
    return sees_borough_figures(user) or roles.is_police_referrer(user) or roles.is_caseworker(user)


def sees_facilitator_breakdown(user) -> bool:
    return roles.is_manager(user)


def manages_register(user) -> bool:
    return roles.is_manager(user)


def is_centre_staff_of(user, centre) -> bool:
    return (
        roles.is_centre_staff(user)
        and user.organisation_id is not None
        and user.organisation_id == centre.organisation_id
    )


def centre_partnership_id(centre) -> int | None:
    """A centre's partnership is its ward's (a centre with no ward recorded is in none: only the regional lead and
    its own staff see it)."""
    return centre.ward.partnership_id if centre.ward is not None else None


def in_scope(user, partnership_id: int | None) -> bool:
    """Whether this partnership's figures are within ``partnership_scope(user)``."""
    scope = partnership_scope(user)
    return scope is None or (partnership_id is not None and partnership_id in scope)


def sees_centre(user, centre) -> bool:
    """Borough figures readers see the centres of the partnerships in their scope; centre staff their own."""
    return (sees_borough_figures(user) and in_scope(user, centre_partnership_id(centre))) or is_centre_staff_of(
        user, centre
    )


def manages_centre(user, centre) -> bool:
    """Changes this centre's register entry and trained staff: a manager of the centre's partnership."""
    return roles.is_manager(user) and roles.in_partnership(user, centre_partnership_id(centre))


def sees_survey_comments(user, centre) -> bool:
    return manages_centre(user, centre) or is_centre_staff_of(user, centre)


def takes_surveys(user, centre) -> bool:
    """Records survey answers and makes survey links for this centre."""
    return manages_centre(user, centre) or is_centre_staff_of(user, centre)


def sees_any_insights(user) -> bool:
    return sees_hotspots(user) or roles.is_centre_staff(user)
