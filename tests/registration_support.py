"""The public registration form of the test event (and the self-service edit form) as a browser posts it."""
import re

URL = "/e/bimtek-uji/daftar"


def form_data(organization, **overrides):
    data = {
        "full_name": "Budi Santoso, S.Kom.",
        "nip": "19800101 200501 1 001",
        "position": "Pranata Komputer",
        "rank": "Penata (III/c)",
        "organization": str(organization.id),
        "phone": "0812-3456-7890",
        "email": "Budi@SerangKota.go.id",
        "consent": "y",
    }
    data.update(overrides)
    return data


def errors_on(response):
    return re.findall(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def edit_form(registration, **overrides):
    data = {
        "full_name": registration.full_name, "nip": registration.nip or "", "position": registration.position,
        "rank": registration.rank or "", "organization": str(registration.organization_id),
        "phone": registration.phone, "email": registration.email,
    }
    data.update(overrides)
    return data
