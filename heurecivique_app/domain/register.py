"""The « registre des traitements » (GDPR art. 30), built from the app's own settings.

Each processing says its purpose, legal basis, people concerned, categories of
data, recipients and retention, as message ids with parameters: the periods are
the commune's own (``services.retention``) and the deployment's (``Settings``), so
the register says what the app really does. Presenters translate it; the page
``/console/privacy`` and its PDF show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heurecivique_app.domain.text import N_


@dataclass(frozen=True)
class Said:
    """A message id and its parameters."""

    message: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Processing:
    """One processing of personal data."""

    name: Said
    purpose: Said
    legal_basis: Said
    people: Said
    categories: Said
    recipients: Said
    retention: Said


@dataclass(frozen=True)
class RegisterSettings:
    """The figures the register quotes."""

    mission_contact_days: int
    inactive_months: int
    contact_visible_hours: int
    session_hours: int
    notice_version: str
    insurance_version: str
    charter_version: str


PUBLIC_INTEREST = N_("Public interest task of the commune (GDPR art. 6.1.e)")


def processing_register(s: RegisterSettings) -> list[Processing]:
    """The processings the app carries out, with the periods of ``s``."""
    return [
        Processing(
            name=Said(N_("Requests for help (beneficiaries)")),
            purpose=Said(N_("Record one-off requests for help from fragile residents and find "
                            "a volunteer near them.")),
            legal_basis=Said(N_("{basis}; the person is told with the information notice "
                                "(version {version}) and agrees."),
                             {"basis": Said(PUBLIC_INTEREST), "version": s.notice_version}),
            people=Said(N_("Residents who ask the town hall for help")),
            categories=Said(N_("Name, phone, address and access notes, the needs and their "
                               "dates, the referents' notes, the follow-up after each help.")),
            recipients=Said(N_("The commune's referents; the volunteer who accepts a need sees "
                               "the contact until {hours} hours after it. Never published: "
                               "boards and maps show an approximate area."),
                            {"hours": s.contact_visible_hours}),
            retention=Said(N_("Exact address, point, phone, access notes and notes of a need: "
                              "erased {days} days after it closes. The record: made anonymous "
                              "(initials) after {months} months without activity, or at once "
                              "on request. Statistics are kept without the person."),
                           {"days": s.mission_contact_days, "months": s.inactive_months}),
        ),
        Processing(
            name=Said(N_("Volunteers and neighbourhood relays")),
            purpose=Said(N_("Enrol volunteers, propose missions that suit them, count the "
                            "time given; relays report needs and neighbourhood issues.")),
            legal_basis=Said(N_("Consent of the volunteer (charter version {charter}, "
                                "insurance rule version {insurance}); a parent's consent "
                                "for a relay under 15."),
                             {"charter": s.charter_version, "insurance": s.insurance_version}),
            people=Said(N_("Volunteers and relays, some of them minors (relays)")),
            categories=Said(N_("Name, e-mail, phone, neighbourhood, home point (private, for "
                               "distances), skills, availability, hours given, the referent's "
                               "interview notes; relays: date of birth, a parent's consent.")),
            recipients=_referents(),
            retention=Said(N_("As long as the account exists; the volunteer deletes it at any "
                              "time from their account (the hours stay, without the name).")),
        ),
        Processing(
            name=Said(N_("Relay reports and success stories")),
            purpose=Said(N_("Pass neighbourhood issues to the town's services; publish "
                            "successes on the commune's public site.")),
            legal_basis=Said(PUBLIC_INTEREST),
            people=Said(N_("Relays; people shown in a published photo")),
            categories=Said(N_("Report text, photo (location data removed), point; a story's "
                               "photo only with the consent of the people shown.")),
            recipients=Said(N_("The commune's referents; the technical services for forwarded "
                               "reports; the public for published stories.")),
            retention=Said(N_("A need's point is erased with its mission ({days} days after "
                              "it closes); issue reports are kept while useful to the town."),
                           {"days": s.mission_contact_days}),
        ),
        Processing(
            name=Said(N_("Accounts, security and accountability")),
            purpose=Said(N_("Sign in, protect accounts from password guessing, keep a log of "
                            "who did what.")),
            legal_basis=Said(N_("Legal obligation of security (GDPR art. 32)")),
            people=Said(N_("Everyone with an account")),
            categories=Said(N_("E-mail, password hash, login sessions (only a hash of the "
                               "cookie), failed logins (hashed), the audit log (who, what, "
                               "when; never the values of personal fields).")),
            recipients=Said(N_("The commune's referents and administrators (audit log).")),
            retention=Said(N_("Login sessions: {hours} hours. The audit log and the register "
                              "of erasure requests: kept as proof of accountability."),
                           {"hours": s.session_hours}),
        ),
        Processing(
            name=Said(N_("E-mails to volunteers")),
            purpose=Said(N_("Proposals, reminders and changes of missions.")),
            legal_basis=Said(N_("Consent of the volunteer; each optional kind can be turned "
                                "off.")),
            people=_volunteers(),
            categories=Said(N_("E-mail address and language, read when the message is sent; "
                               "the message names the mission and its neighbourhood, never "
                               "an address.")),
            recipients=Said(N_("The mail provider configured by the commune.")),
            retention=Said(N_("The queue keeps what was sent and when, without the address.")),
        ),
        Processing(
            name=Said(N_("Notifications on the volunteers' devices (web push)")),
            purpose=Said(N_("The same proposals, reminders and changes of missions, shown on "
                            "a phone or computer.")),
            legal_basis=Said(N_("Consent of the volunteer, asked on their device; each "
                                "optional kind can be turned off.")),
            people=_volunteers(),
            categories=Said(N_("Each device's push address and keys, given by its browser; "
                               "the message, encrypted for that device, names the mission, "
                               "never an address.")),
            recipients=Said(N_("The push service of the device's browser (Google, Mozilla, "
                               "Apple), which cannot read the message.")),
            retention=Said(N_("Until the volunteer turns notifications off, the push service "
                              "says the device is gone, or the account is deleted.")),
        ),
    ]


def _referents() -> Said:
    """The usual recipients: the commune's own staff."""
    return Said(N_("The commune's referents and administrators."))


def _volunteers() -> Said:
    """Volunteers and relays, as the people concerned."""
    return Said(N_("Volunteers and relays"))
