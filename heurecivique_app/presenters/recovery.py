"""The plain pages of passwords and e-mail addresses (api/recovery.py).

A forgotten password (ask for a link, then set a password); a signed-in user's
change of password or e-mail address, and the e-mail change's link.

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


def _email_part(locale: str, errors: dict[str, str], sent: bool) -> str:
    """The form that changes the account's e-mail address, or the answer once posted."""
    heading = escape(translate(N_("Change my e-mail address"), locale))
    said = ""
    if sent:
        # The same words whether the address is free or already has an account.
        said = (f'<p id="email-change-sent" role="status">'
                f'{escape(translate(EMAIL_SENT, locale))}</p>\n')
    intro = translate(N_("We send a link to the new address; your address changes when you "
                         "confirm from it."), locale)
    button = translate(N_("Send the link to my new address"), locale)
    return (f"<h2>{heading}</h2>\n{said}<p>{escape(intro)}</p>\n"
            '<form method="post" action="/api/auth/email/change">\n'
            + _field(locale, "new_email", N_("New e-mail address"), "email", "email",
                     errors.get("new_email", ""))
            + _field(locale, "current_email", N_("Current password"), "password",
                     "current-password", errors.get("current_email", ""))
            + f'<button type="submit" id="email-change-submit">{escape(button)}</button>\n'
            "</form>\n")


EMAIL_SENT = N_("If this address can be used, an e-mail with a link is on its way to it. The "
                "link works for 24 hours. Nothing came? Look in the spam folder, or ask again "
                "in a few minutes.")


def change_page(locale: str, *, errors: dict[str, str] | None = None, done: bool = False,
                sessions: list[tuple[int, str, bool]] | None = None,
                email_sent: bool = False) -> str:
    """A signed-in user's forms to change their password and e-mail, and their open sessions.

    Args:
        locale: the user's language.
        errors: field name -> translated message, after a refusal (the e-mail form's
            fields are ``new_email`` and ``current_email``).
        done: the new password is saved.
        sessions: (id, when it was opened, as text, whether it is this device), newest
            first.
        email_sent: the e-mail change was asked (the same answer for any address).
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
               + _email_part(locale, errors, email_sent)
               + _sessions_part(locale, sessions or [])
               + f'<p><a href="/">{escape(back)}</a></p>')
    return plain_page(locale, title, content)


def email_confirm_page(locale: str, *, token: str, new_email: str | None,
                       done: bool = False) -> str:
    """The e-mail change link's page: a button that confirms, the result, or why it fails.

    Args:
        locale: the visitor's language.
        token: the link's token, posted back with the button (escaped here).
        new_email: the address the link sets; None when the link cannot be used.
        done: the address has just changed.
    """
    locale = _lang(locale)
    title = escape(translate(N_("Confirm my new e-mail address"), locale))
    log_in = translate(N_("Log in"), locale)
    if done:
        said = translate(N_("Your e-mail address is changed: log in with it from now on. Your "
                            "other devices are logged out."), locale)
        content = (f'<p id="email-changed" role="status">{escape(said)}</p>\n'
                   f'<p><a href="/login">{escape(log_in)}</a></p>')
        return plain_page(locale, title, content)
    if new_email is None:
        why = translate(N_("This link is no longer valid: it has already been used or is more "
                           "than 24 hours old. Ask again from « Change my password »."), locale)
        content = (f'<p id="email-change-invalid" role="alert">{escape(why)}</p>\n'
                   f'<p><a href="/login">{escape(log_in)}</a></p>')
        return plain_page(locale, title, content)
    intro = translate(N_("Use {email} as the e-mail address of your account?"), locale,
                      email=new_email)
    button = translate(N_("Confirm my new address"), locale)
    content = (f"<p>{escape(intro)}</p>\n"
               '<form method="post" action="/api/auth/email">\n'
               f'<input type="hidden" name="token" value="{escape(token)}">\n'
               f'<button type="submit" id="email-confirm-submit">{escape(button)}</button>\n'
               "</form>")
    return plain_page(locale, title, content)


# The staff roles as people read them (the staff page and the invitation).
ROLE_LABELS = {
    "referent": N_("Referent"),
    "commune_admin": N_("Commune administrator"),
    "departement_admin": N_("Département coordinator"),
    "platform_admin": N_("Platform administrator"),
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
