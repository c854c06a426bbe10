"""The page behind a sign-up's e-mail link (api/volunteer.py): a button, or why not.

Plain HTML rather than a Reflex page: the link's GET must not change anything
(mail scanners follow links), so it only shows a form whose POST confirms;
the POST's answer sets the HttpOnly session cookie.
"""

from __future__ import annotations

from html import escape

from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import SUPPORTED_LOCALES, translate
from heurecivique_app.presenters.pwa import DEFAULT_THEME


def confirm_page(locale: str, *, token: str, usable: bool) -> str:
    """The confirm button for a usable link, else a translated explanation.

    Args:
        locale: the visitor's language.
        token: the link's token, posted back by the button (escaped here).
        usable: whether the link is known, unused and within its 24 hours.
    """
    locale = locale if locale in SUPPORTED_LOCALES else SUPPORTED_LOCALES[0]
    title = escape(translate(N_("Confirm your email address"), locale))
    if usable:
        step = translate(N_("One step left: confirm that this address is yours."), locale)
        button = translate(N_("Confirm and log in"), locale)
        content = (
            f"<p>{escape(step)}</p>\n"
            '<form method="post" action="/api/auth/confirm">\n'
            f'<input type="hidden" name="token" value="{escape(token)}">\n'
            f'<button type="submit" id="confirm-email">'
            f"{escape(button)}</button>\n</form>")
    else:
        why = translate(N_("This link is no longer valid: it has already been used or is more "
                           "than 24 hours old. If you have already confirmed, just log in; "
                           "otherwise sign up again to get a new link."), locale)
        log_in, sign_up = translate(N_("Log in"), locale), translate(N_("Sign up"), locale)
        content = (f'<p id="confirm-invalid" role="alert">{escape(why)}</p>\n'
                   f'<p><a href="/login">{escape(log_in)}</a> · '
                   f'<a href="/signup">{escape(sign_up)}</a></p>')
    return plain_page(locale, title, content)


def plain_page(locale: str, title: str, content: str) -> str:
    """A small standalone page (no script) in the app's look.

    Args:
        locale: the page's language.
        title: its heading and title, already escaped.
        content: its body, already escaped HTML.
    """
    return f"""<!doctype html>
<html lang="{locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · HeureCivique</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; color: #1c2024; line-height: 1.5; }}
main {{ max-width: 40rem; margin: 0 auto; padding: 1rem; }}
label {{ display: block; font-weight: bold; margin-top: 1rem; }}
input {{ box-sizing: border-box; width: 100%; min-height: 44px; margin-top: .25rem;
  padding: 0 .75rem; border: 1px solid #8b8d98; border-radius: 8px; font: inherit; }}
.error {{ color: #b3261e; margin: .25rem 0 0; }}
form button {{ margin-top: 1.25rem; }}
button {{ min-height: 44px; padding: 0 1.25rem; border: 0; border-radius: 8px;
  background: {DEFAULT_THEME}; color: #fff; font: inherit; font-weight: bold; }}
:focus-visible {{ outline: 3px solid #1c2024; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{content}
</main>
</body>
</html>
"""
