"""Narasumber, moderators and panitia: people of the event with a role, added by the committee (issue 24)."""
