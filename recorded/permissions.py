"""Who may import police records: RJ managers only, on the web and through the API.

Imported records change the borough's hotspot figures for everyone who reads them, so the import is the
partnership's analyst's job (the manager role; a force's automated extract runs under a manager's API token).
A police referrer's token is for their referrals and is refused: referrers from every force sign in to this
service, and one force's referrer must not be able to write another borough's figures.
"""

from accounts import roles


def may_import(user) -> bool:
    return roles.is_manager(user)
