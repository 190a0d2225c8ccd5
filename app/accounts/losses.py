"""What deactivating an account, revoking its token or resetting its password will lose, in words."""
from flask_babel import gettext as _
from sqlalchemy import func

from app.extensions import db
from app.models import ApiToken


def deactivate_losses(user):
    tokens = db.session.execute(
        db.select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).scalar_one()
    return [
        _("%(email)s tidak dapat masuk lagi; %(count)d token API-nya ditolak dalam beberapa detik.", email=user.email,
          count=tokens),
        _("Penugasan acaranya tetap; akun dapat diaktifkan kembali."),
    ]


def token_label(token):
    return token.name or "#" + str(token.id)


def revoke_losses(token):
    return [_("Token “%(name)s” ditolak di semua server dalam beberapa detik; perangkat yang memakainya perlu token "
              "baru.", name=token_label(token))]


def reset_losses(user):
    return [_("Kata sandi %(email)s yang sekarang tidak berlaku lagi.", email=user.email)]
