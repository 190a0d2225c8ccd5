"""OPD delegates: each OPD's own link for naming its people for an event (issue 24)."""
