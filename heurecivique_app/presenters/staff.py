"""The staff page's rows (/console/staff): accounts and open invitations. No reflex."""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_datetime_short, translate
from heurecivique_app.presenters.recovery import ROLE_LABELS
from heurecivique_app.services.staff import StaffMember


class StaffRow(TypedDict):
    """One line of the staff page: an account (``user_id``) or an invitation."""

    key: str
    user_id: str
    invitation_id: str
    name: str
    email: str
    role: str
    status: str
    # Which button the line offers: "deactivate", "reactivate", "withdraw" or "" (oneself).
    action: str


def staff_row(member: StaffMember, locale: str, timezone: str, own_user_id: int) -> StaffRow:
    """A ``services.staff.StaffMember`` as the page shows it.

    Args:
        member: the account or invitation.
        locale: the page's language.
        timezone: the commune's, for an invitation's date.
        own_user_id: the administrator looking (they cannot deactivate themselves).
    """
    role = translate(ROLE_LABELS.get(member.role, member.role), locale)
    if member.invitation_id is not None:
        when = format_datetime_short(member.invited_at, locale, timezone)
        return StaffRow(key=f"i{member.invitation_id}", user_id="",
                        invitation_id=str(member.invitation_id), name=member.name,
                        email=member.email, role=role,
                        status=translate(N_("Invited on {when}"), locale, when=when),
                        action="withdraw")
    if member.active:
        status, action = translate(N_("Active"), locale), "deactivate"
    else:
        status, action = translate(N_("Deactivated"), locale), "reactivate"
    if member.user_id == own_user_id:
        action = ""
    return StaffRow(key=f"u{member.user_id}", user_id=str(member.user_id), invitation_id="",
                    name=member.name, email=member.email, role=role, status=status,
                    action=action)
