"""Typed SQLAlchemy models, one entity family per module.

Importing this package registers every model on the metadata (Alembic and create_all need that).
"""
from models.agency import Agency
from models.audit import AuditEntry
from models.base import AgencyOwned, utcnow
from models.calendar import Holiday, Setting
from models.user import ROLES, User

__all__ = ["Agency", "AgencyOwned", "AuditEntry", "Holiday", "ROLES", "Setting", "User", "utcnow"]
