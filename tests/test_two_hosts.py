"""Two hosts, one truth (issue 25, item 5): two gunicorn servers of the app, each with its own
instance folder, on one PostgreSQL, Redis (rate limits, RQ), moto's S3 and an SMTP server; what
one host does, the other sees. The cluster is bench/_cluster.py, shared with bench/two_hosts.py."""
import time

import pytest

from tests import materials_support as samples
from tests.databases import postgres_server_url, redis_url


@pytest.fixture
def cluster(scratch_redis):
    from bench._cluster import two_hosts

    server_url = postgres_server_url().render_as_string(hide_password=False)
    with two_hosts(server_url, redis_url()) as running:
        yield running


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgresql"])
def test_two_hosts_share_one_truth(cluster, database):
    from bench._cluster import RATE_LIMIT, SLUG, Browser

    a, b = cluster.a, cluster.b

    # Registered through A, checked in through B (and A then knows it).
    token = cluster.register(a, 1)
    status, body = cluster.check_in(b, token)
    assert (status, body["result"]) == (201, "checked_in")
    status, body = cluster.check_in(a, token)
    assert (status, body["result"]) == (200, "already_checked_in")
    assert cluster.facts(token)["attendances"] == 1

    # The confirmation queued by A's registration goes out once, though two RQ workers run.
    address = "peserta1@dua-host.example.go.id"
    assert wait_for(lambda: cluster.inbox.to(address))
    time.sleep(3)  # three more ticks of both workers: nothing is sent twice
    assert len(cluster.inbox.to(address)) == 1
    assert cluster.facts(token)["messages"] == [["confirmation", "sent", 1]]

    # A material uploaded on A downloads from B: the file is in the object store, not on A's disk.
    admin = cluster.admin(a)
    content = samples.pdf(b"dua host" * 1000)
    status, headers, _page = admin.post_files(a, f"/admin/acara/{SLUG}/materi", {"visibility": "public"},
                                              [("files", "Paparan.pdf", content)])
    assert status == 303, status
    material_id = headers["Location"].split("#materi-")[1]
    status, _headers, data = Browser().get(b, f"/e/{SLUG}/materi/{material_id}")
    assert (status, data) == (200, content)
    assert len(cluster.bucket.keys()) == 1
    assert not any(path.is_file() for folder in cluster.folders for path in folder.rglob("*"))

    # The admin's session, made on A, is valid on B; a logout on A ends it on B too.
    assert admin.get(b, "/admin/")[0] == 200
    status, _headers, _page = admin.post_form(a, "/masuk/keluar", {}, csrf_from="/admin/")
    assert status in (302, 303)
    kept = dict(admin.cookies)
    stale = Browser()
    stale.cookies = kept
    status, headers, _page = stale.get(b, "/admin/")
    assert status == 302 and "/masuk" in headers["Location"]

    # The rate limit counts on both hosts together: RATE_LIMIT requests in all, alternating, then 429.
    answers = []
    for n in range(RATE_LIMIT + 1):
        host = (a, b)[n % 2]
        answers.append(Browser().post_form(host, f"/e/{SLUG}/lupa-tiket", {"identifier": f"x{n}@example.go.id"})[0])
    assert answers[:RATE_LIMIT] == [303] * RATE_LIMIT and answers[RATE_LIMIT] == 429
