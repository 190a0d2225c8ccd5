"""Session materials: uploaded once by the committee, downloaded by participants, checked both ways."""
