"""The JSON API under /api/v1: check-ins for scanner pages, handheld devices and scripts."""
