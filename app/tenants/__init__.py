"""Tenants (the organising governments) and who may see what of them: see access.py."""
