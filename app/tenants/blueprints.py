"""The blueprints of the tenants issue (privacy, the programme overview), registered by create_app."""
from app.overview.routes import bp as overview_bp
from app.privacy.admin_routes import bp as admin_privacy_bp
from app.privacy.routes import bp as privacy_bp
from app.tenants.routes import bp as admin_tenants_bp

BLUEPRINTS = (privacy_bp, admin_privacy_bp, overview_bp, admin_tenants_bp)
