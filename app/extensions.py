"""Flask extensions, created unbound and bound to the app in create_app()."""
from typing import TYPE_CHECKING, ClassVar

from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that migrations can name what they alter or drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        # Every model is mapped to a Table (SQLAlchemy types __table__ as any FromClause).
        __table__: ClassVar[Table]


db = SQLAlchemy(model_class=Base)

# The models' base class: `db.Model` at run time. A type checker cannot take an attribute of an
# object as a base class (python/mypy#8603), so it is told what db.Model is made of.
if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class Model(_FlaskModel, Base):
        __abstract__ = True
else:
    Model = db.Model
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
compress = Compress()

# Blueprints none of whose routes has a rate limit skip Flask-Limiter's check, a before_request hook
# that otherwise runs for every request (about 90 µs of a scan, measured 6 December 2026): the
# check-in API, the hottest request of the app, and the health probe. A limit added to one of their
# routes must take its blueprint out of here (tests/test_request_hooks.py fails until it does).
UNLIMITED_BLUEPRINTS = frozenset({"api", "health"})


@limiter.request_filter
def _blueprint_without_limits():
    return request.blueprint in UNLIMITED_BLUEPRINTS
