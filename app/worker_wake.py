"""The flag a transaction sets to wake the message worker once it has committed.

Set on the Session when a transaction wrote a message (app/messages/) or held an anonymous answer
(app/evaluation/batches.py); app/messages/__init__.py wakes a worker (an RQ job) after the commit.
"""
KICK = "outbox_kick"
