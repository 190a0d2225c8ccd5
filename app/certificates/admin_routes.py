"""The committee's certificate page."""
from flask import Blueprint

bp = Blueprint("admin_certificates", __name__, url_prefix="/admin")
