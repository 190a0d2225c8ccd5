"""The programme overview for a pengamat (e.g. the ministry): per event, aggregates only."""
