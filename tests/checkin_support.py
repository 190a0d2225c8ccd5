"""For the check-in tests: an operator assigned to an event and the bearer header of their token."""
from app.extensions import db
from app.tenants.operators import assign_operator


def operator_headers(make, event):
    operator = make.user("meja@example.go.id", role="operator")
    assign_operator(operator, event)
    db.session.commit()
    return operator, {"Authorization": f"Bearer {make.api_token(operator)}"}
