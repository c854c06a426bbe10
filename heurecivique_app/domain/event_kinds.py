"""What can happen, by name: the kind of a live event and the action of an audit entry.

One vocabulary for both, checked where an event or an entry is made
(:class:`domain.events.DomainEvent`, :func:`services.audit.audit`): a misspelt
name raises there instead of silently reaching no board and no feed.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """Every name an event or an audit entry may carry."""

    # Setting up a territory (services/territory.py, the operators' command line).
    COMMUNE_CREATED = "commune.created"
    NEIGHBOURHOOD_CREATED = "neighbourhood.created"
    # Onboarding from the admin pages (services/onboarding.py).
    COMMUNE_UPDATED = "commune.updated"
    COMMUNE_LOGO_CHANGED = "commune.logo_changed"
    DEPARTEMENT_SAVED = "departement.saved"
    NEIGHBOURHOODS_IMPORTED = "neighbourhoods.imported"
    STAFF_CREATED = "staff.created"
    STAFF_INVITED = "staff.invited"
    STAFF_JOINED = "staff.joined"
    STAFF_INVITATION_CANCELLED = "staff.invitation_cancelled"
    STAFF_ACTIVATED = "staff.activated"
    STAFF_DEACTIVATED = "staff.deactivated"

    # Needs and missions.
    NEED_CREATED = "need.created"
    NEED_DUPLICATED = "need.duplicated"
    MISSION_PLACED = "mission.placed"
    MISSION_PUBLISHED = "mission.published"
    MISSION_PROPOSED = "mission.proposed"
    MISSION_ASSIGNED = "mission.assigned"
    MISSION_ACCEPTED = "mission.accepted"
    MISSION_DECLINED = "mission.declined"
    MISSION_WITHDRAWN = "mission.withdrawn"
    MISSION_WAITLISTED = "mission.waitlisted"
    MISSION_PROMOTED = "mission.promoted"
    MISSION_DONE = "mission.done"
    MISSION_CANCELLED = "mission.cancelled"
    MISSION_FOLLOWED_UP = "mission.followed_up"
    MISSION_CLOSED = "mission.closed"
    # The referent's control of a published mission, and its expiry by the scheduled job.
    MISSION_EDITED = "mission.edited"
    MISSION_VOLUNTEER_REMOVED = "mission.volunteer_removed"
    MISSION_HANDED_OVER = "mission.handed_over"
    MISSION_EXPIRED = "mission.expired"
    ATTENDANCE_RECORDED = "attendance.recorded"
    # The volunteer's own account of a mission.
    PARTICIPATION_CANCELLED = "participation.cancelled"
    PARTICIPATION_CONFIRMED = "participation.confirmed"
    PARTICIPATION_PROBLEM = "participation.problem"
    # Volunteers.
    VOLUNTEER_SIGNED_UP = "volunteer.signed_up"
    VOLUNTEER_SIGNUP_EMAIL_TAKEN = "volunteer.signup_email_taken"
    VOLUNTEER_EMAIL_CONFIRMED = "volunteer.email_confirmed"
    VOLUNTEER_VALIDATED = "volunteer.validated"
    VOLUNTEER_PAUSED = "volunteer.paused"
    VOLUNTEER_RESUMED = "volunteer.resumed"
    VOLUNTEER_CHARTER_APPROVED = "volunteer.charter_approved"
    VOLUNTEER_PROFILE_UPDATED = "volunteer.profile_updated"
    VOLUNTEER_DELETED = "volunteer.deleted"
    # Relays and their reports ("report.<status>" as the triage moves them).
    RELAY_ASSIGNED = "relay.assigned"
    REPORT_CREATED = "report.created"
    REPORT_MISSION = "report.mission"
    REPORT_FORWARDED = "report.forwarded"
    REPORT_CLOSED = "report.closed"
    REPORT_EXPORTED = "report.exported"
    STORY_PUBLISHED = "story.published"
    EXPORT_DOWNLOADED = "export.downloaded"
    # Beneficiaries' records and personal data's lifecycle.
    BENEFICIARY_UPDATED = "beneficiary.updated"
    BENEFICIARY_MERGED = "beneficiary.merged"
    BENEFICIARY_ERASED = "beneficiary.erased"
    RETENTION_UPDATED = "retention.updated"
    RETENTION_PURGED = "retention.purged"
    RELAY_PARENTAL_CONSENT = "relay.parental_consent"
    AUDIT_EXPORTED = "audit.exported"
    # Signing in.
    AUTH_LOGIN = "auth.login"
    AUTH_FAILED = "auth.failed"
    AUTH_THROTTLED = "auth.throttled"
    AUTH_LOCKED = "auth.locked"
    AUTH_UNLOCKED = "auth.unlocked"
    AUTH_RESET_REQUESTED = "auth.reset_requested"
    AUTH_PASSWORD_RESET = "auth.password_reset"
    AUTH_PASSWORD_CHANGED = "auth.password_changed"
    AUTH_EMAIL_CHANGE_REQUESTED = "auth.email_change_requested"
    AUTH_EMAIL_CHANGE_REFUSED = "auth.email_change_refused"
    AUTH_EMAIL_CHANGED = "auth.email_changed"
    AUTH_SESSION_ENDED = "auth.session_ended"
    # Notifications: a person's notification centre changed (new messages or read ones);
    # a referent's message to a group of volunteers (services/group_messages.py).
    INBOX_CHANGED = "inbox.changed"
    GROUP_MESSAGE_SENT = "message.group_sent"
