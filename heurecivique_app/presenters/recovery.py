"""The pages of a forgotten password (api/recovery.py): ask for a link, then set a password.

Plain HTML without script, like the sign-up's confirmation page: they work on any
phone, and the link's GET only shows a form (mail scanners follow links).
"""

from __future__ import annotations

from html import escape

from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import SUPPORTED_LOCALES, translate
from heurecivique_app.presenters.confirm_email import plain_page


def _lang(locale: str) -> str:
    return locale if locale in SUPPORTED_LOCALES else SUPPORTED_LOCALES[0]


def _field(locale: str, name: str, label: str, kind: str, autocomplete: str,
           error: str = "") -> str:
    """A labelled input; its error (already translated) is tied to it for screen readers."""
    described = ""
    message = ""
    if error:
        described = f' aria-invalid="true" aria-describedby="{name}-error"'
        message = (f'<p class="error" id="{name}-error">'
                   f"{escape(error)}</p>\n")
    return (f'<label for="{name}">{escape(translate(label, locale))}</label>\n'
            f'<input id="{name}" name="{name}" type="{kind}" required '
            f'autocomplete="{autocomplete}"{described}>\n{message}')


def forgot_page(locale: str, *, sent: bool = False) -> str:
    """The form that asks for a link, or the same answer for any address once posted."""
    locale = _lang(locale)
    title = escape(translate(N_("Forgotten password"), locale))
    if sent:
        said = translate(N_("If an account uses this address, an e-mail with a link is on its "
                            "way. The link works for 30 minutes. Nothing came? Look in your "
                            "spam folder, or ask again in a few minutes."), locale)
        log_in = translate(N_("Log in"), locale)
        content = (f'<p id="reset-sent" role="status">{escape(said)}</p>\n'
                   f'<p><a href="/login">{escape(log_in)}</a></p>')
        return plain_page(locale, title, content)
    intro = translate(N_("Give the e-mail address of your account: we send you a link to "
                         "choose a new password."), locale)
    button = translate(N_("Send me a link"), locale)
    back = translate(N_("Back to the login page"), locale)
    content = (f"<p>{escape(intro)}</p>\n"
               '<form method="post" action="/api/auth/forgot">\n'
               + _field(locale, "email", N_("Email"), "email", "username")
               + f'<button type="submit" id="forgot-submit">{escape(button)}</button>\n'
               "</form>\n"
               f'<p><a href="/login">{escape(back)}</a></p>')
    return plain_page(locale, title, content)


def reset_page(locale: str, *, token: str, usable: bool,
               errors: dict[str, str] | None = None) -> str:
    """The new-password form of a usable link, else why it cannot be used.

    Args:
        locale: the visitor's language.
        token: the link's token, posted back with the form (escaped here).
        usable: whether the link is known, unused and within its 30 minutes.
        errors: field name -> translated message, after a refused new password.
    """
    locale = _lang(locale)
    title = escape(translate(N_("Choose a new password"), locale))
    if not usable:
        why = translate(N_("This link is no longer valid: it has already been used or is more "
                           "than 30 minutes old. Ask for a new one."), locale)
        again = translate(N_("Ask for a new link"), locale)
        content = (f'<p id="reset-invalid" role="alert">{escape(why)}</p>\n'
                   f'<p><a href="/api/auth/forgot">{escape(again)}</a></p>')
        return plain_page(locale, title, content)
    errors = errors or {}
    button = translate(N_("Save my new password"), locale)
    content = ('<form method="post" action="/api/auth/reset">\n'
               f'<input type="hidden" name="token" value="{escape(token)}">\n'
               + _field(locale, "password", N_("New password (at least 10 characters)"),
                        "password", "new-password", errors.get("password", ""))
               + _field(locale, "repeat", N_("The same password again"), "password",
                        "new-password", errors.get("repeat", ""))
               + f'<button type="submit" id="reset-submit">{escape(button)}</button>\n'
               "</form>")
    return plain_page(locale, title, content)


def _sessions_part(locale: str, sessions: list[tuple[int, str, bool]]) -> str:
    """The user's open sessions, each with a button that ends it (not this one's)."""
    heading = escape(translate(N_("Where I am logged in"), locale))
    end = translate(N_("Log this device out"), locale)
    here = translate(N_("This device"), locale)
    items = []
    for session_id, opened, this_device in sessions:
        since = escape(translate(N_("Logged in since {when}"), locale, when=opened))
        if this_device:
            items.append(f"<li>{since} · <strong>{escape(here)}</strong></li>")
            continue
        items.append(
            f'<li>{since}<form method="post" action="/api/auth/sessions/end">'
            f'<input type="hidden" name="session_id" value="{session_id}">'
            f'<button type="submit" class="end-session">{escape(end)}</button></form></li>')
    return f'<h2>{heading}</h2>\n<ul id="open-sessions">{"".join(items)}</ul>\n'


def change_page(locale: str, *, errors: dict[str, str] | None = None, done: bool = False,
                sessions: list[tuple[int, str, bool]] | None = None) -> str:
    """A signed-in user's form to change their password, and their open sessions.

    Args:
        locale: the user's language.
        errors: field name -> translated message, after a refusal.
        done: the new password is saved.
        sessions: (id, when it was opened, as text, whether it is this device), newest
            first.
    """
    locale = _lang(locale)
    title = escape(translate(N_("Change my password"), locale))
    back = translate(N_("Back to the app"), locale)
    if done:
        said = translate(N_("Your new password is saved. Your other devices are logged out."),
                         locale)
        content = (f'<p id="password-changed" role="status">{escape(said)}</p>\n'
                   f'<p><a href="/">{escape(back)}</a></p>')
        return plain_page(locale, title, content)
    errors = errors or {}
    button = translate(N_("Save my new password"), locale)
    content = ('<form method="post" action="/api/auth/password">\n'
               + _field(locale, "current", N_("Current password"), "password",
                        "current-password", errors.get("current", ""))
               + _field(locale, "password", N_("New password (at least 10 characters)"),
                        "password", "new-password", errors.get("password", ""))
               + _field(locale, "repeat", N_("The same password again"), "password",
                        "new-password", errors.get("repeat", ""))
               + f'<button type="submit" id="password-submit">{escape(button)}</button>\n'
               "</form>\n"
               + _sessions_part(locale, sessions or [])
               + f'<p><a href="/">{escape(back)}</a></p>')
    return plain_page(locale, title, content)


# The staff roles as people read them (the staff page and the invitation).
ROLE_LABELS = {
    "referent": N_("Referent"),
    "commune_admin": N_("Commune administrator"),
    "departement_admin": N_("Département coordinator"),
}


def invitation_page(locale: str, *, token: str, name: str = "", commune: str = "",
                    role: str = "", usable: bool = True,
                    errors: dict[str, str] | None = None) -> str:
    """The invited person's form to choose a password, else why the link cannot be used.

    Args:
        locale: the visitor's language.
        token: the link's token, posted back with the form (escaped here).
        name: who is invited.
        commune: the commune they join.
        role: as what (the role as stored).
        usable: whether the invitation is open and within its 72 hours.
        errors: field name -> translated message, after a refused password.
    """
    locale = _lang(locale)
    title = escape(translate(N_("Join the team"), locale))
    if not usable:
        why = translate(N_("This invitation is no longer valid: it has already been used, "
                           "withdrawn, or is more than 72 hours old. Ask the town hall for a "
                           "new one."), locale)
        log_in = translate(N_("Log in"), locale)
        content = (f'<p id="invitation-invalid" role="alert">{escape(why)}</p>\n'
                   f'<p><a href="/login">{escape(log_in)}</a></p>')
        return plain_page(locale, title, content)
    role_label = translate(ROLE_LABELS.get(role, role), locale)
    intro = translate(N_("{name}, you are invited to join L'Heure Civique in {commune} as "
                         "{role}. Choose your password to finish."), locale,
                      name=name, commune=commune, role=role_label)
    button = translate(N_("Create my account"), locale)
    errors = errors or {}
    content = (f"<p>{escape(intro)}</p>\n"
               '<form method="post" action="/api/auth/invitation">\n'
               f'<input type="hidden" name="token" value="{escape(token)}">\n'
               + _field(locale, "password", N_("New password (at least 10 characters)"),
                        "password", "new-password", errors.get("password", ""))
               + _field(locale, "repeat", N_("The same password again"), "password",
                        "new-password", errors.get("repeat", ""))
               + f'<button type="submit" id="invitation-submit">{escape(button)}</button>\n'
               "</form>")
    return plain_page(locale, title, content)
