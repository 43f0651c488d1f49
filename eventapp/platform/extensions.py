"""Flask extensions, created unbound here and bound to the app in create_app()."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from eventapp.platform.db import Base

db = SQLAlchemy(model_class=Base)
# The base of every model. db.Model is made at run time from Base; a type checker sees Base itself.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()
# Public pages that are the same for every anonymous visitor, kept a few seconds (CACHE_* settings).
cache = Cache()
# Limits per client address; storage from RATELIMIT_STORAGE_URI (memory, or Redis when configured).
limiter = Limiter(key_func=get_remote_address)
