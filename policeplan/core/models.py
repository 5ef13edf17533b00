"""The office being served, staff accounts, shared base models and the audit trail."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from policeplan.core.roles import Role


class ActiveManager(models.Manager):
    """The default manager: archived rows are hidden unless asked for."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(archived_at__isnull=True)


class BaseModel(models.Model):
    """Created/modified by and at, and archive instead of delete."""

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Any]] = ActiveManager()
    all_objects: ClassVar[models.Manager[Any]] = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


class OfficeKind(models.TextChoices):
    PCC = "pcc", "Police and Crime Commissioner, scrutinised by a Police and Crime Panel"
    LONDON = "london", "Mayor of London (MOPAC), scrutinised by the London Assembly"


class Office(BaseModel):
    """The policing body this installation serves. One per installation."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=OfficeKind.choices)
    force_area = models.CharField(max_length=120, help_text="For example 'London' or 'Kent'.")
    force_name = models.CharField(max_length=120)
    contact_email = models.EmailField(blank=True)
    demo_data = models.BooleanField(
        default=False,
        help_text="A demonstration: its consultation responses (and the figures marked as made "
        "up) are made up, and every page says so.",
    )

    def __str__(self) -> str:
        return self.name

    # Wording across the site follows the kind of office.
    @property
    def holder_title(self) -> str:
        if self.kind == OfficeKind.LONDON:
            return "the Mayor of London"
        return f"the {self.force_area} Police and Crime Commissioner"

    @property
    def scrutiny_body(self) -> str:
        if self.kind == OfficeKind.LONDON:
            return "the London Assembly Police and Crime Committee"
        return f"the {self.force_area} Police and Crime Panel"

    @property
    def chief_officer_title(self) -> str:
        if self.kind == OfficeKind.LONDON:
            return "the Commissioner of Police of the Metropolis"
        return f"the Chief Constable of {self.force_name}"

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name


class StaffUserManager(UserManager):
    use_in_migrations = True

    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> Any:
        email = self.normalize_email(email or username).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        return user

    def create_user(self, email: Any = None, password: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        extra.setdefault("role", Role.POLICY_OFFICER)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: Any = None, password: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        extra["role"] = Role.ADMINISTRATOR
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A member of staff. The public never has an account."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = StaffUserManager()  # type: ignore[misc]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only administrators reach the Django admin; the role is the single source of truth.
        self.is_staff = self.is_superuser = self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)


class AuditEvent(models.Model):
    """Who did what to which object, and when. Written by services, never edited."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text="The actor's email at the time.")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def change_lines(self) -> list[tuple[str, str]]:
        """Each changed field and what happened to it, in words: 'set to X' the first time
        it has a value, 'cleared (was X)' when emptied, 'changed from X to Y' otherwise."""
        lines = []
        for name, change in (self.changes or {}).items():
            if isinstance(change, list) and len(change) == 2:
                old, new = change
                if _empty(old) and _empty(new):
                    words = "left empty"
                elif _empty(old):
                    words = f"set to {_words(new)}"
                elif _empty(new):
                    words = f"cleared (was {_words(old)})"
                else:
                    words = f"changed from {_words(old)} to {_words(new)}"
            else:
                words = _words(change)
            lines.append((str(name), words))
        return lines


def _empty(value: Any) -> bool:
    # "None" is how str() wrote a missing value into some older events.
    return value is None or value in ("", "None", [], {})


def _words(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_words(v) for v in value)
    return str(value)


class SharedCacheEntry(models.Model):
    """A row of the shared cache (policeplan.core.cache.DatabaseCache: counts every process must
    agree on, such as rate limits). The table Django's `createcachetable` would make, made by
    `migrate` instead so that every database, test databases too, has it."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "policeplan_cache"

    def __str__(self) -> str:
        return self.cache_key


class ScheduledRun(models.Model):
    """One period's run of a scheduled job, claimed by the scheduler that queued it: the
    unique (name, slot) makes sure it is queued once however many schedulers run."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text="The start of the period it was queued for (UTC).")
    queued_at = models.DateTimeField(auto_now_add=True)
    scheduler = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="core_scheduledrun_once")
        ]
        ordering = ["-slot", "name"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
