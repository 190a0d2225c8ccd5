"""The live dashboard's figures: two queries whatever the number of registrations."""
from dataclasses import dataclass

from app.extensions import db
from app.models import EventDay
from app.summary import OrganizationSummary, organization_summaries
from app.timezones import today_in


@dataclass
class Dashboard:
    days: list[EventDay]
    today: EventDay | None
    organizations: list[OrganizationSummary]
    registered: int
    present: list[int]  # per day
    present_all_days: int

    @property
    def without_participants(self):
        """The OPDs that have sent nobody yet."""
        return [summary for summary in self.organizations if summary.registered == 0]

    @property
    def chart_max(self):
        return max([1] + [summary.quota or 0 for summary in self.organizations]
                   + [summary.registered for summary in self.organizations])

    def as_json(self):
        return {
            "registered": self.registered,
            "present_all_days": self.present_all_days,
            "today": self.today.date.isoformat() if self.today else None,
            "days": [
                {"number": number, "date": day.date.isoformat(), "present": count}
                for number, (day, count) in enumerate(zip(self.days, self.present, strict=True), start=1)
            ],
            "organizations": [
                {
                    "short_name": summary.short_name, "name": summary.name, "quota": summary.quota,
                    "registered": summary.registered, "present": list(summary.present),
                    "present_all_days": summary.present_all_days,
                }
                for summary in self.organizations
            ],
            "organizations_without_participants": [summary.name for summary in self.without_participants],
        }


def dashboard(event, now=None):
    days = db.session.execute(
        db.select(EventDay).filter_by(event_id=event.id).order_by(EventDay.date)
    ).scalars().all()
    summaries = organization_summaries(event, days)
    today = today_in(event, now)
    return Dashboard(
        days=list(days),
        today=next((day for day in days if day.date == today), None),
        organizations=summaries,
        registered=sum(summary.registered for summary in summaries),
        present=[sum(summary.present[index] for summary in summaries) for index in range(len(days))],
        present_all_days=sum(summary.present_all_days for summary in summaries),
    )
