"""With a replica configured, visitors' page reads go to it; writes and editors' reads go to
the primary; an unreachable replica sends reads to the primary.

A second database stands in for the replica (a second SQLite file, or a second PostgreSQL
database): migrated but empty, like a replica that has not yet received the seed. So a page
served from the replica shows no deals, and one served from the primary shows them.
"""

import copy

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, router
from django.http import HttpResponse
from django.test import RequestFactory

from deals.models import Deal
from dealwatch import db_router
from dealwatch.db_router import REPLICA, ReplicaReadsMiddleware

from .conftest import make_user

# The replica's tests are wrapped in a transaction on both databases, like the primary's.
pytestmark = pytest.mark.django_db(databases=["default", REPLICA])

DEAL = "microsoft-anthropic-investment-5b"


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker, tmp_path_factory):
    """A "replica" database beside the test database, for this module's tests."""
    primary = connections["default"].settings_dict
    stand_in = copy.deepcopy(primary)
    if connections["default"].vendor == "sqlite":
        name = str(tmp_path_factory.mktemp("replica") / "replica.sqlite3")
    else:
        name = f"{primary['NAME']}_replica"
    stand_in["NAME"] = name
    stand_in["TEST"] = {**primary.get("TEST", {}), "NAME": name, "MIRROR": None}
    settings.DATABASES[REPLICA] = stand_in
    connections.settings[REPLICA] = stand_in
    with django_db_blocker.unblock():
        connections[REPLICA].creation.create_test_db(verbosity=0, autoclobber=True)
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].creation.destroy_test_db(name, verbosity=0)
    del connections[REPLICA]
    # (Django's connection settings are settings.DATABASES itself, once configured.)
    connections.settings.pop(REPLICA, None)
    settings.DATABASES.pop(REPLICA, None)


@pytest.fixture(autouse=True)
def replica_reachable_again():
    """Each test starts with no remembered outage."""
    db_router._replica_down_until = 0.0
    yield
    db_router._replica_down_until = 0.0


def routing(request) -> dict[str, str]:
    """Where the router sends a read of a deal and of a user, and a write, during `request`."""
    seen = {}

    def page(request):
        seen["deal"] = router.db_for_read(Deal)
        seen["user"] = router.db_for_read(User)
        seen["session"] = router.db_for_read(Session)
        seen["write"] = router.db_for_write(Deal)
        return HttpResponse()

    ReplicaReadsMiddleware(page)(request)
    return seen


def visitor_request(method: str = "get", path: str = "/deals/"):
    request = getattr(RequestFactory(), method)(path)
    request.user = AnonymousUser()
    return request


def test_a_visitors_page_reads_deals_from_the_replica_and_writes_to_the_primary(replica):
    assert routing(visitor_request()) == {
        "deal": REPLICA,
        # Who is signed in is always read where sign-ins are written.
        "user": "default",
        "session": "default",
        "write": "default",
    }


def test_an_editor_reads_from_the_primary(replica):
    request = visitor_request()
    request.user = make_user()
    assert routing(request)["deal"] == "default"


def test_a_post_reads_from_the_primary(replica):
    assert routing(visitor_request("post"))["deal"] == "default"


def test_outside_a_request_everything_reads_from_the_primary(replica):
    # Management commands, the shell, the importer: no request marks them.
    assert router.db_for_read(Deal) == "default"
    routing(visitor_request())
    assert router.db_for_read(Deal) == "default"  # the mark ends with the request


def test_what_is_cached_can_be_read_from_the_primary_in_a_visitors_request(replica):
    seen = []

    def page(request):
        with db_router.primary_reads():
            seen.append(router.db_for_read(Deal))
        seen.append(router.db_for_read(Deal))
        return HttpResponse()

    ReplicaReadsMiddleware(page)(visitor_request())
    assert seen == ["default", REPLICA]


@pytest.mark.django_db(databases=["default"])  # no replica here, whichever test ran before
def test_without_a_replica_every_read_goes_to_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA, raising=False)
    assert routing(visitor_request())["deal"] == "default"


def test_an_unreachable_replica_sends_reads_to_the_primary(replica, monkeypatch):
    def refused():
        raise OperationalError("could not connect to the replica")

    monkeypatch.setattr(connections[REPLICA], "ensure_connection", refused)
    assert routing(visitor_request())["deal"] == "default"
    # And it is not asked again at once: the next requests go straight to the primary.
    monkeypatch.undo()
    assert routing(visitor_request())["deal"] == "default"


def test_visitors_are_served_from_the_replica_while_an_editor_sees_the_primary(
    client, seeded, replica
):
    # The replica has not received the seed yet: a visitor does not see the new deal...
    assert client.get(f"/deals/{DEAL}/").status_code == 404
    # ...while the editor who entered it does.
    client.force_login(make_user())
    response = client.get(f"/deals/{DEAL}/")
    assert response.status_code == 200
    assert "Microsoft" in response.content.decode()


def test_a_streamed_export_reads_its_rows_from_the_replica(client, seeded, replica):
    visitor_rows = b"".join(client.get("/export/deals.csv").streaming_content).splitlines()
    assert len(visitor_rows) == 1  # the header: the replica has no deals yet
    client.force_login(make_user())
    editor_rows = b"".join(client.get("/export/deals.csv").streaming_content).splitlines()
    assert len(editor_rows) == 1 + Deal.objects.count()


def test_visitors_still_get_pages_when_the_replica_is_down(client, seeded, replica, monkeypatch):
    def refused():
        raise OperationalError("could not connect to the replica")

    monkeypatch.setattr(connections[REPLICA], "ensure_connection", refused)
    response = client.get(f"/deals/{DEAL}/")
    assert response.status_code == 200
    assert "Microsoft" in response.content.decode()
