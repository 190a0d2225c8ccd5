"""The console's frame: the live dashboard of an event, with its import and export.

The blueprint itself is app/console.py; each domain's console pages live in app/<domain>/console.py.
"""
