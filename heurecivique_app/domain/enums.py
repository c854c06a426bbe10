"""Closed vocabularies, stored as plain strings (no database enum types to migrate)."""

from enum import StrEnum

from heurecivique_app.domain.text import N_


class Role(StrEnum):
    """What a user is in the scheme; staff roles run a commune's console."""

    VOLUNTEER = "volunteer"
    RELAY = "relay"
    REFERENT = "referent"
    COMMUNE_ADMIN = "commune_admin"
    DEPARTEMENT_ADMIN = "departement_admin"
    PLATFORM_ADMIN = "platform_admin"


# The role sets, here only: who opens the console, who helps (a relay volunteers too),
# who reports for a neighbourhood. Members compare equal to the stored strings.
STAFF_ROLES = frozenset({Role.REFERENT, Role.COMMUNE_ADMIN, Role.DEPARTEMENT_ADMIN,
                         Role.PLATFORM_ADMIN})
# Who reaches several communes (services.actor.reach_of) and picks the one they work on.
MANY_COMMUNE_ROLES = frozenset({Role.DEPARTEMENT_ADMIN, Role.PLATFORM_ADMIN})
VOLUNTEER_ROLES = frozenset({Role.VOLUNTEER, Role.RELAY})
RELAY_ROLES = frozenset({Role.RELAY})


class VolunteerStatus(StrEnum):
    """Where a volunteer stands: met by a referent, on a break (domain.volunteer_status)."""

    PENDING = "pending"  # signed up, not yet met by a referent
    ACTIVE = "active"
    PAUSED = "paused"


class MissionKind(StrEnum):
    """Help for one person, or a collective action with several places."""

    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"


class MissionStatus(StrEnum):
    """A mission's place in its life (the transitions: domain.lifecycle)."""

    DRAFT = "draft"
    OPEN = "open"
    FULL = "full"
    DONE = "done"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class ParticipationStatus(StrEnum):
    """A volunteer's part in one mission."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    # A referent offered the mission to this volunteer; they accept or decline it.
    PROPOSED = "proposed"
    # A collective action was full when they signed up; promoted on a cancellation.
    WAITLISTED = "waitlisted"


class Channel(StrEnum):
    """How a need reached the town hall."""

    PHONE = "phone"
    FLYER = "flyer"
    EMAIL = "email"
    RELAY = "relay"
    IN_PERSON = "in_person"


class Category(StrEnum):
    """The kinds of help, for boards, skills and matching."""

    SHOPPING = "shopping"
    VISIT = "visit"
    WALK = "walk"
    CARPOOL = "carpool"
    GARDENING = "gardening"
    DIGITAL = "digital"
    DIY = "diy"
    COLLECTIVE_EVENT = "collective_event"
    CLEANUP = "cleanup"


# Labels are message ids; the i18n layer translates them.
CATEGORY_LABELS: dict[str, str] = {
    Category.SHOPPING: N_("Shopping"),
    Category.VISIT: N_("Friendly visit"),
    Category.WALK: N_("Walking together"),
    Category.CARPOOL: N_("Car-pooling"),
    Category.GARDENING: N_("Light gardening"),
    Category.DIGITAL: N_("Digital help"),
    Category.DIY: N_("Small DIY"),
    Category.COLLECTIVE_EVENT: N_("Help at a collective event"),
    Category.CLEANUP: N_("Cleaning public space"),
}

STATUS_LABELS: dict[str, str] = {
    MissionStatus.DRAFT: N_("Draft"),
    MissionStatus.OPEN: N_("Open"),
    MissionStatus.FULL: N_("Volunteer found"),
    MissionStatus.DONE: N_("Done"),
    MissionStatus.CLOSED: N_("Closed"),
    MissionStatus.CANCELLED: N_("Cancelled"),
    MissionStatus.EXPIRED: N_("Expired"),
}

VOLUNTEER_STATUS_LABELS: dict[str, str] = {
    VolunteerStatus.PENDING: N_("Awaiting validation"),
    VolunteerStatus.ACTIVE: N_("Active"),
    VolunteerStatus.PAUSED: N_("Paused"),
}

CHANNEL_LABELS: dict[str, str] = {
    Channel.PHONE: N_("Phone call"),
    Channel.FLYER: N_("Paper flyer"),
    Channel.EMAIL: N_("Email"),
    Channel.RELAY: N_("Neighbourhood relay"),
    Channel.IN_PERSON: N_("At the town hall"),
}
