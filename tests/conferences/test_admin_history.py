"""The admin shows old versions of restorative work and letters but never restores them."""

import pytest

from tests.factories import UserFactory
from tests.walk import plan_activity, to_preparation


@pytest.mark.django_db
def test_an_old_version_of_an_activity_cannot_be_restored_through_the_admin(
    client, referred_case, manager, facilitator
):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    case = to_preparation(referred_case, manager, facilitator)
    activity = plan_activity(case, facilitator)
    old = activity.history.earliest()
    client.force_login(superuser)
    url = f"/admin/conferences/activity/{activity.pk}/history/{old.history_id}/"
    assert client.get(url).status_code == 200
    before = activity.history.count()
    response = client.post(url, {"kind": "letter", "venue": "Somewhere else"})
    assert response.status_code == 403
    assert activity.history.count() == before
    activity.refresh_from_db()
    assert activity.kind == "direct_conference"
