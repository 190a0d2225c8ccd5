"""An anonymous form's answers on their way to the responses: held sealed, then written in shuffled batches.

Why not write them at once: a completion (who answered) and its response (what they answered) written
in one transaction share PostgreSQL's `xmin`; rows written one after another keep the order of
submission in `ctid`, in ids and in SQLite's WAL, which a web server's log ties to people. So an
anonymous answer is held in `evaluation_pending_answers`, in its completion's transaction (nothing is
lost between the two), sealed with AES-GCM under a key derived from SECRET_KEY (the database does not
hold it), padded to a power of two so that its length tells little, under a random key and with no
registration and no time. Once a form has k (`min_respondents`) answers waiting, or has closed,
`flush_due_batches` opens them and writes them all as responses in one transaction, in a random order.

It runs in the message worker's tick (app/messages/worker.py): RQ jobs when JOB_QUEUE_URL is set (a
held answer wakes a worker after its commit, like a message does), else `flask messages work`'s
polling loop, which `make run` starts; `flask messages work --once` runs one pass by hand.
"""
import json
import logging
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, func

from app.extensions import db
from app.models import Answer, EvaluationForm, PendingAnswers, Response, utcnow
from app.worker_wake import KICK

log = logging.getLogger("hadir.evaluation")

MIN_SEALED_BYTES = 1024
_KEY_INFO = b"hadir: anonymous evaluation answers waiting for their batch"
_shuffle = secrets.SystemRandom().shuffle


def _keys():
    """The sealing key from SECRET_KEY, then those from SECRET_KEY_FALLBACKS (answers held before a key change)."""
    config = current_app.config
    for secret in [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]:
        material = secret.encode() if isinstance(secret, str) else bytes(secret)
        yield HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(material)


def _padded(data):
    size = MIN_SEALED_BYTES
    while size <= len(data):
        size *= 2
    return data + b"\0" * (size - len(data))  # JSON never holds a raw NUL: the padding is told apart


def seal(form_id, answers):
    """`answers` ({question id: [values]}) sealed for `form_id`: a random nonce, then the AES-GCM ciphertext."""
    nonce = os.urandom(12)
    plain = json.dumps({str(question_id): values for question_id, values in answers.items()}).encode()
    return nonce + AESGCM(next(_keys())).encrypt(nonce, _padded(plain), f"form {form_id}".encode())


def unseal(form_id, sealed):
    """The answers `seal` sealed for `form_id`, or None when no key of this install opens them."""
    nonce, ciphertext = bytes(sealed[:12]), bytes(sealed[12:])
    for key in _keys():
        try:
            plain = AESGCM(key).decrypt(nonce, ciphertext, f"form {form_id}".encode())
        except InvalidTag:
            continue
        return {int(question_id): values for question_id, values in json.loads(plain.rstrip(b"\0")).items()}
    return None


def hold_answers(form, answers):
    """Keep an anonymous form's `answers` sealed until their batch is written; a worker is woken after the
    commit. The caller commits (with the completion: the answer and the fact of answering stay together)."""
    db.session.add(PendingAnswers(token=secrets.token_hex(16), form_id=form.id, sealed=seal(form.id, answers)))
    db.session.info[KICK] = True


def pending_counts(form_ids):
    """{form id: answers waiting for their batch} of `form_ids`, in one query."""
    if not form_ids:
        return {}
    return dict(db.session.execute(
        db.select(PendingAnswers.form_id, func.count()).where(PendingAnswers.form_id.in_(form_ids))
        .group_by(PendingAnswers.form_id)
    ).tuples().all())


def write_batch(form, *, closing=False):
    """Write `form`'s waiting answers as responses, in a random order, if there are at least k of them (any
    number once the form has closed). Returns how many were written; 0 leaves them waiting. The caller
    commits; on 0 it rolls back. Two workers at once: each deletes the rows it writes, so an answer is
    written once, and one that found fewer than k left writes nothing."""
    waiting = db.session.execute(
        db.select(PendingAnswers.token, PendingAnswers.sealed).where(PendingAnswers.form_id == form.id)
    ).tuples().all()
    opened = {}
    for token, sealed in waiting:
        answers = unseal(form.id, sealed)
        if answers is None:  # sealed under a key this install no longer has: kept, and said
            log.error("evaluation form %s: an anonymous answer cannot be opened with SECRET_KEY or "
                      "SECRET_KEY_FALLBACKS; it stays waiting", form.id)
            continue
        opened[token] = answers
    enough = len(opened) >= form.min_respondents or (closing and opened)
    if not enough:
        return 0
    taken = db.session.execute(
        delete(PendingAnswers).where(PendingAnswers.token.in_(list(opened))).returning(PendingAnswers.token)
    ).scalars().all()
    batch = [opened[token] for token in taken]
    if not batch or (not closing and len(batch) < form.min_respondents):
        return 0
    _shuffle(batch)
    for answers in batch:
        response = Response(form_id=form.id, anonymous=True)
        db.session.add(response)
        db.session.flush()
        db.session.add_all(
            Answer(response_id=response.id, form_id=form.id, question_id=question_id, value=value)
            for question_id, values in answers.items() for value in values
        )
    db.session.flush()
    return len(batch)


def flush_due_batches(now=None):
    """Write the batch of every anonymous form with k answers waiting, or closed with any: one transaction
    per form. Returns how many responses were written. Commits."""
    now = now or utcnow()
    due = db.session.execute(
        db.select(EvaluationForm, func.count(PendingAnswers.token))
        .join(PendingAnswers, PendingAnswers.form_id == EvaluationForm.id)
        .group_by(EvaluationForm.id).order_by(EvaluationForm.id)
    ).tuples().all()
    written = 0
    for form, count in due:
        closing = form.state(now) == "closed"
        if count < form.min_respondents and not closing:
            continue
        wrote = write_batch(form, closing=closing)
        if wrote:
            db.session.commit()
            written += wrote
        else:
            db.session.rollback()
    return written
