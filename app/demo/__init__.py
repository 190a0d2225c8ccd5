"""The demo: the reference Bimtek of Kota Serang and its live "Tahap 2" (`flask seed-demo`). It writes
through every domain's services, so nothing below the CLI imports it."""
