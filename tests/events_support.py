"""The console's event form as a browser posts it."""


def event_form(**overrides):
    data = {
        "title": "Bimtek Satu Data", "slug": "bimtek-satu-data", "organizer_name": "Diskominfo",
        "venue": "Aula Setda", "description": "", "timezone": "Asia/Jakarta",
        "dates-0": "2022-06-13", "dates-1": "2022-06-14",
        "registration_opens_at": "2022-06-01T08:00", "registration_closes_at": "2022-06-10T16:00",
        "capacity": "", "default_quota": "3",
    }
    data.update(overrides)
    return data
