"""What a scanner reads → the ticket token, from tests/data/scan_cases.json.

The same file is read by the browser test of the station's scanner module
(tests/browser/test_scanner_input_browser.py), so the server and the page take the same
token from the same text.
"""
import json
from datetime import date
from pathlib import Path

import pytest

from app.checkin.services import token_from_scan
from app.extensions import db

CASES = json.loads((Path(__file__).parent / "data" / "scan_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_token_from_scan(case):
    assert token_from_scan(case["scanned"]) == case["token"]


def test_the_api_answers_each_scanned_text_for_this_desks_event(client, make, desk):
    event, _operator, headers = desk
    tokens = {case["token"] for case in CASES if case["ticket"] == "this event"}
    others = {case["token"] for case in CASES if case["ticket"] == "other event"}
    assert len(tokens) == len(others) == 1
    mine = make.registration(event)
    mine.ticket_token = tokens.pop()
    other_event = make.event(slug="bimtek-lain", dates=(date(2022, 6, 13),))
    theirs = make.registration(other_event)
    theirs.ticket_token = others.pop()
    db.session.commit()

    answers = []
    for case in CASES:
        response = client.post("/api/v1/checkins", headers=headers,
                               json={"token": case["scanned"], "event": event.slug, "day": "2022-06-13"})
        answers.append((case["ticket"], response.status_code, response.get_json()["result"]))
    expected = []
    first = True
    for case in CASES:
        if case["ticket"] == "this event":
            expected.append(("this event", 201, "checked_in") if first else ("this event", 200, "already_checked_in"))
            first = False
        elif case["token"]:
            expected.append((case["ticket"], 404, "unknown_ticket"))
        else:
            # Nothing to look up: refused as a malformed request or as an unknown ticket, never a check-in.
            answer = answers[len(expected)]
            assert answer[1:] in ((400, "invalid_request"), (404, "unknown_ticket")), case["name"]
            expected.append(answer)
    assert answers == expected
