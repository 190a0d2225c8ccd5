"""Evaluation of the Bimtek and its speakers, and pre-/post-tests, answered from the ticket link."""
