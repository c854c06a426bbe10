"""adapters/mail.compose writes its text parts directly: the same bytes as email.mime's."""

import itertools
from email import message_from_bytes
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from heurecivique_app.adapters import mail as mail_module
from heurecivique_app.adapters.mail import Mail, compose

TEXT = "Bonjour Zoé,\n\nUne mission près de chez vous : courses à Vitré.\n" + "é" * 200 + "\n"
HTML = "<p>Bonjour Zoé,</p><p>" + "Une mission près de chez vous. " * 20 + "</p>"
ICS = b"BEGIN:VCALENDAR\r\nSUMMARY:Courses \xc3\xa0 Vitr\xc3\xa9\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def boundaries(monkeypatch):
    """The same boundaries, in the same order, for compose and for the reference."""
    counter = itertools.count()
    monkeypatch.setattr(mail_module, "_boundary", lambda: f"=_b{next(counter)}")


def _with_headers_of(reference, composed):
    for name, value in composed.items():
        if name not in reference:  # From, To, Subject, Date, Message-ID, extra headers
            reference[name] = value
    reference.policy = composed.policy
    return reference


@pytest.mark.parametrize("html", [None, HTML])
def test_text_and_html_parts_are_those_of_email_mime(boundaries, html):
    composed = compose(Mail(sender="Mairie <noreply@vitre.fr>", to="zoe@example.org",
                            subject="Près de chez vous", text=TEXT, html=html,
                            headers={"List-Unsubscribe": "<https://x.example/u>"}))
    reference = MIMEText(TEXT, "plain", "utf-8")
    if html is not None:
        reference = MIMEMultipart("alternative", boundary="=_b0",
                                  _subparts=[reference, MIMEText(HTML, "html", "utf-8")])
    assert bytes(composed) == bytes(_with_headers_of(reference, composed))


def test_an_invitation_attached_is_that_of_email_mime(boundaries):
    composed = compose(Mail(sender="noreply@vitre.fr", to="zoe@example.org", subject="Merci",
                            text=TEXT, html=HTML,
                            files=(("mission-7.ics", "text/calendar", ICS),
                                   ("plan.pdf", "application/pdf", b"%PDF-1.4"))))
    alternative = MIMEMultipart("alternative", boundary="=_b0", _subparts=[
        MIMEText(TEXT, "plain", "utf-8"), MIMEText(HTML, "html", "utf-8")])
    reference = MIMEMultipart("mixed", boundary="=_b1", _subparts=[alternative])
    invitation = MIMEText(ICS.decode(), "calendar", "utf-8")
    invitation.set_param("method", "PUBLISH")
    invitation.add_header("Content-Disposition", "attachment", filename="mission-7.ics")
    reference.attach(invitation)
    pdf = MIMEApplication(b"%PDF-1.4", "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="plan.pdf")
    reference.attach(pdf)
    assert bytes(composed) == bytes(_with_headers_of(reference, composed))


def test_a_mail_client_reads_the_parts_back():
    message = message_from_bytes(bytes(compose(Mail(
        sender="noreply@vitre.fr", to="zoe@example.org", subject="Près", text=TEXT,
        html=HTML))))
    plain, rich = message.get_payload()
    assert plain.get_content_charset() == "utf-8" and rich.get_content_type() == "text/html"
    assert plain.get_payload(decode=True).decode() == TEXT
    assert rich.get_payload(decode=True).decode() == HTML
