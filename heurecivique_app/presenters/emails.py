"""The e-mails people receive, in French or English, as text and HTML.

Each template turns the small payload stored with a delivery (titles, dates as
ISO strings, names) into a subject, a plain-text part and an HTML part with the
commune's name and colour. Strings are message ids translated at render time
in the recipient's language, like every other text of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TypedDict

from heurecivique_app.domain.community import REPORT_KIND_LABELS, REPORT_STATUS_LABELS
from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.notifications import (
    OPT_IN_KINDS,
    OPTIONAL_KINDS,
    STAFF_KINDS,
    MessageKind,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_duration, format_phone, format_when, translate
from heurecivique_app.presenters.pwa import DEFAULT_THEME, HEX_COLOUR, text_on


@dataclass(frozen=True)
class Rendered:
    """A message ready to compose: its subject and its text and HTML parts."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Context:
    """What every template knows besides its own parameters.

    Attributes:
        locale: the recipient's language.
        timezone: the commune's time zone (dates are written in local time).
        commune_name, commune_colour: the header of the HTML part.
        app_url: the site's address, for links into the app.
        name: the recipient's name ("" for a service address).
        unsubscribe_url: the one-click link of an optional message, else "".
    """

    locale: str
    timezone: str
    commune_name: str
    commune_colour: str
    app_url: str
    name: str = ""
    unsubscribe_url: str = ""


# A paragraph is a message id and its parameters; a link is (label id, url).
Paragraph = tuple[str, dict]


@dataclass(frozen=True)
class Draft:
    """A message before translation: a subject and paragraphs of message ids and params."""

    subject: Paragraph
    paragraphs: list[Paragraph]
    link: tuple[str, str] | None = None


def _when(ctx: Context, iso: str) -> str:
    return format_when(datetime.fromisoformat(iso), ctx.locale, ctx.timezone)


def _proposal(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("A mission for you: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("{referent} proposes you a mission: “{title}”, {when}, in {place}."),
                     {"referent": p["referent"], "title": p["title"],
                      "when": _when(ctx, p["starts_at"]), "place": p["neighbourhood"]}),
                    (N_("Accept it or say it is not for you in the app."), {})],
        link=(N_("See the mission"), f"{ctx.app_url}/missions/{p['mission_id']}"),
    )


def _reminder(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Reminder: {title} tomorrow"), {"title": p["title"]}),
        paragraphs=[(N_("A reminder: you take part tomorrow in “{title}”, {when}, in {place}."),
                     {"title": p["title"], "when": _when(ctx, p["starts_at"]),
                      "place": p["neighbourhood"]}),
                    (N_("Something came up? Let the town hall know as soon as you can."), {})],
        link=(N_("See the mission and its address"), f"{ctx.app_url}/missions/{p['mission_id']}"),
    )


def _report_forward(ctx: Context, p: dict) -> Draft:
    paragraphs: list[Paragraph] = [
        (N_("Report no. {id}: {title}"), {"id": p["report_id"], "title": p["title"]}),
        (N_("Category: {category}"), {"category": p["category"]}),
        (N_("Place: {place}"), {"place": p["place"]}),
        (N_("Reported by the neighbourhood relay: {relay}"), {"relay": p["relay"]}),
        (N_("On: {when}"), {"when": _when(ctx, p["created_at"])}),
        ("{description}", {"description": p["description"]}),
    ]
    if p.get("note"):
        paragraphs.append((N_("Note from the CCAS: {note}"), {"note": p["note"]}))
    return Draft(subject=(N_("[HeureCivique] Report: {title}"), {"title": p["title"]}),
                 paragraphs=paragraphs)


def _signup_confirm(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Confirm your HeureCivique sign-up"), {}),
        paragraphs=[(N_("To finish your sign-up to HeureCivique, open this link within "
                        "24 hours and confirm."), {}),
                    (N_("If you did not sign up, ignore this message: the account will stay "
                        "unusable."), {})],
        link=(N_("Confirm my e-mail address"), p["url"]),
    )


def _account_exists(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Your HeureCivique account"), {}),
        paragraphs=[(N_("Someone, maybe you, has just tried to sign up to HeureCivique with "
                        "this email address. You already have an account."), {}),
                    (N_("If it was not you, nothing has changed on your account and you can "
                        "ignore this message."), {})],
        link=(N_("Log in"), p["login_url"]),
    )


def _password_reset(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Choose a new HeureCivique password"), {}),
        paragraphs=[(N_("Someone, maybe you, asked to choose a new password for your "
                        "HeureCivique account. Open this link within 30 minutes to do it."), {}),
                    (N_("If it was not you, ignore this message: your password stays the "
                        "same."), {})],
        link=(N_("Choose a new password"), p["url"]),
    )


def _mission_link(ctx: Context, p: dict) -> tuple[str, str]:
    return (N_("See the mission"), f"{ctx.app_url}/missions/{p['mission_id']}")


def _mission_changed(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Mission changed: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("The town hall changed the mission “{title}” you take part in."),
                     {"title": p["title"]}),
                    (N_("It now takes place {when} ({duration}), in {place}."),
                     {"when": _when(ctx, p["starts_at"]),
                      "duration": format_duration(p["duration_minutes"], ctx.locale),
                      "place": p["neighbourhood"]}),
                    (N_("Can you no longer make it? Cancel in the app or phone the town hall."),
                     {})],
        link=_mission_link(ctx, p),
    )


def _mission_cancelled(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Mission cancelled: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("The town hall cancelled the mission “{title}” planned {when}."),
                     {"title": p["title"], "when": _when(ctx, p["starts_at"])}),
                    (N_("The reason: {reason}"), {"reason": p["reason"]}),
                    (N_("You have nothing to do. Thank you for your help!"), {})],
    )


def _taken_off(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("You no longer take part in: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("The town hall took you off the mission “{title}” planned {when}."),
                     {"title": p["title"], "when": _when(ctx, p["starts_at"])}),
                    (N_("The reason: {reason}"), {"reason": p["reason"]}),
                    (N_("Please do not go there. Thank you for your help!"), {})],
    )


def _handed_to_you(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("A mission is yours: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("{referent} gave you the mission “{title}”, {when}, in {place}."),
                     {"referent": p["referent"], "title": p["title"],
                      "when": _when(ctx, p["starts_at"]), "place": p["neighbourhood"]}),
                    (N_("The address and the contact are on the mission's page."), {})],
        link=_mission_link(ctx, p),
    )


def _staff_invitation(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Join L'Heure Civique in {commune}"), {"commune": ctx.commune_name}),
        paragraphs=[(N_("{inviter} invites you to run L'Heure Civique in {commune} with the "
                        "town hall's team."),
                     {"inviter": p["inviter"], "commune": ctx.commune_name}),
                    (N_("Open this link within 72 hours and choose your password."), {})],
        link=(N_("Accept the invitation"), p["url"]),
    )


def _email_change_confirm(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Confirm your new HeureCivique e-mail address"), {}),
        paragraphs=[(N_("Someone, maybe you, asked to use this address for their HeureCivique "
                        "account. Open this link within 24 hours and confirm to do it."), {}),
                    (N_("If it was not you, ignore this message: nothing changes."), {})],
        link=(N_("Confirm my new address"), p["url"]),
    )


def _email_changed(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Your HeureCivique e-mail address has changed"), {}),
        paragraphs=[(N_("The e-mail address of your HeureCivique account is now {new_email}. "
                        "This address no longer receives its messages."),
                     {"new_email": p["new_email"]}),
                    (N_("If you did not make this change, call your town hall at once: "
                        "someone may be using your account."), {})],
    )


def _group_message(ctx: Context, p: dict) -> Draft:
    # The referent's own words, as typed; a message about a mission links to its page.
    return Draft(
        subject=(N_("A message from {sender}, of the town hall"), {"sender": p["sender"]}),
        paragraphs=[("{text}", {"text": p["text"]})],
        link=_mission_link(ctx, p) if p.get("mission_id") else None,
    )


# --- issue 17 item 5: the volunteer's confirmations, alerts and nudge --------------------


def _confirmed(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Confirmed: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("Thank you! You take part in “{title}”, {when} ({duration}), in "
                        "{place}."),
                     {"title": p["title"], "when": _when(ctx, p["starts_at"]),
                      "duration": format_duration(p["duration_minutes"], ctx.locale),
                      "place": p["neighbourhood"]}),
                    (N_("The invitation attached adds it to your calendar. The address and "
                        "the contact are on the mission's page."), {})],
        link=_mission_link(ctx, p),
    )


def _waitlist_place(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("A place for you: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("A place was freed in “{title}”, {when}, in {place}: it is yours, "
                        "since you were on the waiting list."),
                     {"title": p["title"], "when": _when(ctx, p["starts_at"]),
                      "place": p["neighbourhood"]}),
                    (N_("The invitation attached adds it to your calendar. Can you no longer "
                        "make it? Cancel in the app so that the next person gets it."), {})],
        link=_mission_link(ctx, p),
    )


def _validated(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Welcome among the volunteers of {commune}"), {"commune": ctx.commune_name}),
        paragraphs=[(N_("After your meeting, the town hall validated your registration: you "
                        "can now help someone at home, as well as in collective actions."), {}),
                    (N_("The missions near you are on your home page."), {})],
        link=(N_("See the missions"), f"{ctx.app_url}/home"),
    )


def _mission_alert(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("A new mission near you: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("A new mission matches what you like doing: “{title}” ({category}), "
                        "{when}, in {place}."),
                     {"title": p["title"], "category": translate(
                         CATEGORY_LABELS.get(p["category"], p["category"]), ctx.locale),
                      "when": _when(ctx, p["starts_at"]), "place": p["neighbourhood"]}),
                    (N_("You receive at most 3 of these e-mails a day; choose a daily digest "
                        "instead in your account."), {})],
        link=_mission_link(ctx, p),
    )


def _alert_digest(ctx: Context, p: dict) -> Draft:
    lines: list[Paragraph] = [(N_("New missions near you match what you like doing:"), {})]
    lines += [(N_("{when} — “{title}”, in {place}: {url}"),
               {"when": _when(ctx, m["starts_at"]), "title": m["title"],
                "place": m["neighbourhood"], "url": f"{ctx.app_url}/missions/{m['mission_id']}"})
              for m in p["missions"]]
    return Draft(
        subject=(N_("{count} new mission(s) near you"), {"count": len(p["missions"])}),
        paragraphs=lines, link=(N_("See the missions"), f"{ctx.app_url}/home"))


def _hour_nudge(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Your hour this month?"), {}),
        paragraphs=[(N_("This month's hour is not given yet. If you have a moment, a "
                        "neighbour may need it: the open missions near you are in the app."),
                     {}),
                    (N_("No worries if not: you asked for this reminder and can stop it at "
                        "any time."), {})],
        link=(N_("See the missions"), f"{ctx.app_url}/home"),
    )


def _report_answer(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Answer to your report: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("The town hall answered your report “{title}”:"), {"title": p["title"]}),
                    ("{answer}", {"answer": p["answer"]}),
                    (N_("Now: {status}"), {"status": translate(
                        REPORT_STATUS_LABELS.get(p["status"], p["status"]), ctx.locale)})],
        link=(N_("See my reports"), f"{ctx.app_url}/relay"),
    )


# --- to the commune's staff ---------------------------------------------------------------


def _withdrawal(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Withdrawal: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("{volunteer} withdrew from “{title}”, {when}, in {place}."),
                     {"volunteer": p["volunteer"], "title": p["title"],
                      "when": _when(ctx, p["starts_at"]), "place": p["neighbourhood"]}),
                    (N_("The reason: {reason}"), {"reason": p["reason"]}),
                    (N_("Places left: {count}."), {"count": p["places_left"]})],
        link=(N_("Open the mission"), f"{ctx.app_url}/console/missions/{p['mission_id']}"),
    )


def _problem_reported(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Problem reported: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("{volunteer} reported a problem after “{title}” ({when}):"),
                     {"volunteer": p["volunteer"], "title": p["title"],
                      "when": _when(ctx, p["starts_at"])}),
                    ("{problem}", {"problem": p["problem"]})],
        link=(N_("Open the mission"), f"{ctx.app_url}/console/missions/{p['mission_id']}"),
    )


def _unstaffed(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("Still no volunteer: {title}"), {"title": p["title"]}),
        paragraphs=[(N_("“{title}”, {when}, in {place}, starts within 48 hours and nobody "
                        "has taken it yet."),
                     {"title": p["title"], "when": _when(ctx, p["starts_at"]),
                      "place": p["neighbourhood"]}),
                    (N_("Propose it to a few volunteers, or warn the person."), {})],
        link=(N_("Find a volunteer"), f"{ctx.app_url}/console/match/{p['mission_id']}"),
    )


def _relay_report(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("New report from {relay}: {title}"),
                 {"relay": p["relay"], "title": p["title"]}),
        paragraphs=[(N_("{relay}, relay of {place}, sent a report ({kind}): “{title}”."),
                     {"relay": p["relay"], "place": p["neighbourhood"], "title": p["title"],
                      "kind": translate(REPORT_KIND_LABELS.get(p["report_kind"],
                                                               p["report_kind"]), ctx.locale)}),
                    (N_("It waits in the triage queue."), {})],
        link=(N_("Open the reports"), f"{ctx.app_url}/console/reports"),
    )


def _awaiting_validation(ctx: Context, p: dict) -> Draft:
    return Draft(
        subject=(N_("A new volunteer to meet: {name}"), {"name": p["volunteer"]}),
        paragraphs=[(N_("{name} signed up and confirmed their e-mail address. Meet them "
                        "before they can help someone at home."), {"name": p["volunteer"]})],
        link=(N_("Open their record"),
              f"{ctx.app_url}/console/volunteers/{p['volunteer_id']}"),
    )


def _morning_summary(ctx: Context, p: dict) -> Draft:
    lines: list[Paragraph] = [(N_("The visits of today and tomorrow: phone each person to "
                                  "say who is coming."), {})]
    for visit in p["visits"]:
        helpers = ", ".join(visit["volunteers"]) or translate(N_("nobody yet"), ctx.locale)
        lines.append((N_("{when} — {title}: {beneficiary}, {phone}. Volunteer: {helpers}."),
                      {"when": _when(ctx, visit["starts_at"]), "title": visit["title"],
                       "beneficiary": visit["beneficiary"],
                       "phone": format_phone(visit["phone"]) if visit["phone"] else "—",
                       "helpers": helpers}))
    return Draft(subject=(N_("Visits of today and tomorrow: {count}"),
                          {"count": len(p["visits"])}),
                 paragraphs=lines, link=(N_("Open the console"), f"{ctx.app_url}/console"))


TEMPLATES: dict[str, Callable[[Context, dict], Draft]] = {
    MessageKind.GROUP_MESSAGE: _group_message,
    MessageKind.MISSION_CHANGED: _mission_changed,
    MessageKind.MISSION_CANCELLED: _mission_cancelled,
    MessageKind.TAKEN_OFF: _taken_off,
    MessageKind.HANDED_TO_YOU: _handed_to_you,
    MessageKind.PROPOSAL: _proposal,
    MessageKind.REMINDER: _reminder,
    MessageKind.REPORT_FORWARD: _report_forward,
    MessageKind.SIGNUP_CONFIRM: _signup_confirm,
    MessageKind.ACCOUNT_EXISTS: _account_exists,
    MessageKind.PASSWORD_RESET: _password_reset,
    MessageKind.STAFF_INVITATION: _staff_invitation,
    MessageKind.EMAIL_CHANGE_CONFIRM: _email_change_confirm,
    MessageKind.EMAIL_CHANGED: _email_changed,
    MessageKind.CONFIRMED: _confirmed,
    MessageKind.WAITLIST_PLACE: _waitlist_place,
    MessageKind.VALIDATED: _validated,
    MessageKind.MISSION_ALERT: _mission_alert,
    MessageKind.ALERT_DIGEST: _alert_digest,
    MessageKind.HOUR_NUDGE: _hour_nudge,
    MessageKind.REPORT_ANSWER: _report_answer,
    MessageKind.WITHDRAWAL: _withdrawal,
    MessageKind.PROBLEM_REPORTED: _problem_reported,
    MessageKind.UNSTAFFED: _unstaffed,
    MessageKind.RELAY_REPORT: _relay_report,
    MessageKind.AWAITING_VALIDATION: _awaiting_validation,
    MessageKind.MORNING_SUMMARY: _morning_summary,
}


def headline(kind: str, params: dict, *, locale: str, timezone: str,
             commune_name: str = "") -> tuple[str, str, str | None]:
    """A message's subject, first line and link path, for the bell and push notifications.

    Raises:
        KeyError: ``kind`` has no template, or ``params`` lacks one it needs.
    """
    # app_url "" makes the e-mail's links paths of this site ("/missions/12").
    draft = TEMPLATES[kind](Context(locale=locale, timezone=timezone, commune_name=commune_name,
                                    commune_colour="", app_url=""), params)
    subject, values = draft.subject
    first, first_values = draft.paragraphs[0] if draft.paragraphs else ("", {})
    return (translate(subject, locale, **values),
            translate(first, locale, **first_values) if first else "",
            draft.link[1] if draft.link else None)


def render(template: str, ctx: Context, params: dict) -> Rendered:
    """The subject, text and HTML of ``template`` for one recipient.

    Raises:
        KeyError: an unknown template or a missing parameter (a bug: the delivery
            fails for good and says so).
    """
    draft = TEMPLATES[template](ctx, params)

    def tr(message: str, values: dict) -> str:
        return translate(message, ctx.locale, **values) if values else translate(
            message, ctx.locale)

    lines = [tr(m, v) for m, v in draft.paragraphs]
    if ctx.name:
        lines.insert(0, tr(N_("Hello {name},"), {"name": ctx.name}))
    why, stop = "", ""
    if ctx.unsubscribe_url:
        why = tr(N_("You receive this e-mail as a member of the town hall's team of L'Heure "
                    "Civique in {commune}.") if template in STAFF_KINDS else
                 N_("You receive this e-mail as a volunteer of L'Heure Civique in {commune}."),
                 {"commune": ctx.commune_name})
        stop = tr(N_("Stop these e-mails"), {})
    link = (tr(draft.link[0], {}), draft.link[1]) if draft.link else None
    text_parts = list(lines)
    if link:
        text_parts.append(tr(N_("{label}: {url}"), {"label": link[0], "url": link[1]}))
    if why:
        text_parts += ["-- ", why + "\n" + tr(N_("{label}: {url}"),
                                              {"label": stop, "url": ctx.unsubscribe_url})]
    return Rendered(subject=tr(*draft.subject), text="\n\n".join(text_parts) + "\n",
                    html=_html(ctx, lines, link, why, stop))


def _html(ctx: Context, lines: list[str], link: tuple[str, str] | None, why: str,
          stop: str) -> str:
    colour = ctx.commune_colour if HEX_COLOUR.match(ctx.commune_colour or "") else DEFAULT_THEME
    body = "".join(f"<p>{escape(line)}</p>".replace("\n", "<br>") for line in lines)
    if link:
        body += (f'<p><a href="{escape(link[1])}" style="display:inline-block;padding:10px 16px;'
                 f'background:{colour};color:{text_on(colour)};text-decoration:none;'
                 f'border-radius:6px">{escape(link[0])}</a></p>')
    foot = (f'<p>{escape(why)} <a href="{escape(ctx.unsubscribe_url)}" style="color:#555">'
            f'{escape(stop)}</a></p>' if why else "")
    return (f'<!doctype html><html lang="{ctx.locale}"><body style="margin:0;'
            f'font-family:sans-serif;color:#111">'
            f'<div style="background:{colour};color:{text_on(colour)};padding:12px 16px;'
            f'font-weight:bold">L’Heure Civique · '
            f'{escape(ctx.commune_name)}</div>'
            f'<div style="padding:16px;max-width:600px">{body}</div>'
            f'<div style="padding:0 16px 16px;color:#555;font-size:13px">{foot}</div>'
            f'</body></html>')


def unsubscribe_page(locale: str, message: str, *, confirm: str = "") -> str:
    """The small page behind an unsubscribe link.

    A message, and a button that POSTs the one-click form when ``confirm`` names it
    (opening a link never changes anything: mail scanners open links).
    """
    text = escape(translate(message, locale))
    form = (f'<form method="post"><input type="hidden" name="List-Unsubscribe" '
            f'value="One-Click"><button type="submit" style="min-height:44px;padding:0 16px">'
            f'{escape(translate(confirm, locale))}</button></form>' if confirm else "")
    account = escape(translate(N_("Your choices of e-mails are in your account."), locale))
    return (f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>L’Heure Civique</title></head>'
            f'<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;'
            f'padding:0 1rem"><h1 style="font-size:1.25rem">L’Heure Civique</h1>'
            f'<p>{text}</p>{form}<p><a href="/account">{account}</a></p></body></html>')


# What the unsubscribe page says, for each kind that can be turned off.
UNSUBSCRIBE_QUESTION = {
    MessageKind.PROPOSAL: N_("Stop the e-mails when a referent proposes you a mission?"),
    MessageKind.REMINDER: N_("Stop the e-mail reminders the day before a mission?"),
    MessageKind.GROUP_MESSAGE: N_("Stop the e-mails the town hall sends to a group of "
                                  "volunteers?"),
    MessageKind.CONFIRMED: N_("Stop the e-mails confirming the missions I accept?"),
    MessageKind.REPORT_ANSWER: N_("Stop the e-mails with the answers to my reports?"),
    MessageKind.WITHDRAWAL: N_("Stop the e-mails when a volunteer withdraws?"),
    MessageKind.PROBLEM_REPORTED: N_("Stop the e-mails when a volunteer reports a problem?"),
    MessageKind.UNSTAFFED: N_("Stop the e-mails about missions soon without a volunteer?"),
    MessageKind.RELAY_REPORT: N_("Stop the e-mails about the relays' new reports?"),
    MessageKind.AWAITING_VALIDATION: N_("Stop the e-mails about new volunteers to meet?"),
    MessageKind.MORNING_SUMMARY: N_("Stop the morning summary of the visits?"),
    MessageKind.MISSION_ALERT: N_("Stop the alerts for new missions near home?"),
    MessageKind.ALERT_DIGEST: N_("Stop the daily digest of new missions near home?"),
    MessageKind.HOUR_NUDGE: N_("Stop the monthly reminder of my hour?"),
}


class MailProblemRow(TypedDict):
    """One e-mail that did not reach a volunteer, on their record (staff only)."""

    kind: str
    when: str
    state: str  # refused for good, or to be tried again
    error: str  # the mail server's answer


def problem_rows(problems: list, locale: str, timezone: str) -> list[MailProblemRow]:
    """A person's undelivered e-mails as the staff record shows them (DeliveryProblem list)."""
    return [MailProblemRow(
        kind=translate(OPTIONAL_KINDS.get(p.kind) or OPT_IN_KINDS.get(p.kind, p.kind), locale),
        when=format_when(p.at, locale, timezone),
        state=translate(N_("Refused for good: check the address with the volunteer.")
                        if p.final else N_("Not delivered yet: it will be tried again."),
                        locale),
        error=p.error,
    ) for p in problems]
