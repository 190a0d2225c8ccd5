"""'Lupa tiket?' without a timing oracle: the request does no per-address work (the lookup and the e-mail
happen in the worker), so a registered and an unknown address cost the same statements and the same time.

The timing test compares two distributions of 50 requests each, taken in a shuffled order so that the
machine's load falls on both alike, with a rank-sum (Mann-Whitney) test: the registered address must not
tend to answer slower or faster than the unknown one. Before the change it did (the ticket e-mail was
composed and written in the request).
"""
import random
import statistics
from time import perf_counter

from sqlalchemy import event as sa_event

from app.extensions import db
from app.messages.worker import tick
from app.models import OutboxMessage, TicketLookup

URL = "/e/bimtek-uji/lupa-tiket"
TRIES = 50
KNOWN, UNKNOWN = "ani@example.go.id", "siapa@example.go.id"


def ask(client, identifier):
    started = perf_counter()
    response = client.post(URL, data={"identifier": identifier})
    elapsed = perf_counter() - started
    assert response.status_code == 303
    return elapsed


def statements_of(client, identifier):
    seen = []

    def record(_connection, _cursor, statement, _parameters, _context, _many):
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        ask(client, identifier)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_a_known_and_an_unknown_address_cost_the_same_statements(client, make, smtp):
    event = make.event()
    make.registration(event, email=KNOWN)
    assert statements_of(client, KNOWN) == statements_of(client, UNKNOWN)
    assert db.session.execute(db.select(OutboxMessage)).first() is None  # nothing looked up in the request
    assert db.session.execute(db.select(db.func.count()).select_from(TicketLookup)).scalar_one() == 2
    tick()  # the worker looks both up: one e-mail, to the registered address; the lookups are gone
    assert [recipients for recipients, _mail in smtp.messages] == [[KNOWN]]
    assert db.session.execute(db.select(TicketLookup)).first() is None


def rank_sum_z(first, second):
    """The Mann-Whitney U statistic of two samples as a z-score (normal approximation, ties averaged):
    near 0 when neither tends to be larger than the other, beyond ±3.3 with a chance under 1 in 1000."""
    ranked = sorted([(value, 0) for value in first] + [(value, 1) for value in second])
    ranks = [0.0] * len(ranked)
    start = 0
    while start < len(ranked):
        end = start
        while end + 1 < len(ranked) and ranked[end + 1][0] == ranked[start][0]:
            end += 1
        for index in range(start, end + 1):
            ranks[index] = (start + end) / 2 + 1
        start = end + 1
    n1, n2 = len(first), len(second)
    u = sum(rank for rank, (_value, group) in zip(ranks, ranked, strict=True) if group == 0) - n1 * (n1 + 1) / 2
    return (u - n1 * n2 / 2) / ((n1 * n2 * (n1 + n2 + 1) / 12) ** 0.5)


def test_a_known_and_an_unknown_address_answer_in_the_same_time(client, make):
    event = make.event()
    make.registration(event, email=KNOWN)
    for _ in range(5):  # warm up (templates compiled, connections opened)
        ask(client, KNOWN)
        ask(client, UNKNOWN)
    # In a shuffled order, so that whatever else the machine does falls on both alike.
    order = [KNOWN] * TRIES + [UNKNOWN] * TRIES
    random.Random(20).shuffle(order)
    times = {KNOWN: [], UNKNOWN: []}
    for identifier in order:
        times[identifier].append(ask(client, identifier))
    z = rank_sum_z(times[KNOWN], times[UNKNOWN])
    medians = [round(statistics.median(times[identifier]) * 1000, 2) for identifier in (KNOWN, UNKNOWN)]
    assert abs(z) < 3.3, f"known and unknown differ: rank-sum z = {z:.1f}, medians {medians} ms"


def test_with_redis_the_request_wakes_an_rq_worker_that_looks_up_and_sends(client, make, runner, smtp,
                                                                          redis_job_queue):
    from rq import Queue

    make.registration(make.event(), email=KNOWN)
    for identifier in (KNOWN, UNKNOWN, KNOWN):  # the second ask for Ani falls in the same 15 minutes
        ask(client, identifier)
    assert Queue("hadir-messages", connection=redis_job_queue).count == 3
    result = runner.invoke(args=["messages", "work", "--burst"])
    assert result.exit_code == 0, result.output
    assert [recipients for recipients, _mail in smtp.messages] == [[KNOWN]]
    assert db.session.execute(db.select(TicketLookup)).first() is None
