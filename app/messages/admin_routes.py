"""The committee's side of messages, under /admin (admins only, scoped by event_or_404)."""
