"""The personal-data lifecycle (UU 27/2022): notice, legal basis, retention and purge, the
participant's own view and deletion request, and the log of the committee's access."""
