"""adapters/mail writes its text parts and its messages' bytes directly: the same bytes
as email.mime's classes and smtplib's generator."""

import copy
import io
import itertools
from email import message_from_bytes
from email.generator import BytesGenerator
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from heurecivique_app.adapters import mail as mail_module
from heurecivique_app.adapters.mail import Mail, compose, wire_bytes

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


def _as_smtplib_writes_it(message) -> bytes:
    # What smtplib's send_message does: a copy, flattened by BytesGenerator with CRLF.
    buffer = io.BytesIO()
    BytesGenerator(buffer).flatten(copy.copy(message), linesep="\r\n")
    return buffer.getvalue()


@pytest.mark.parametrize("mail", [
    Mail(sender="noreply@vitre.fr", to="zoe@example.org", subject="Rappel", text="Demain.\n"),
    Mail(sender="Mairie de Vitré <noreply@vitre.fr>", to="zoe@example.org",
         subject="Près de chez vous : " + "très " * 40, text=TEXT, html=HTML,
         headers={"List-Unsubscribe": "<https://x.example/u>",
                  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
         idempotency_key="proposal:1|7|email"),
    Mail(sender="noreply@vitre.fr", to="zoe@example.org", subject="Merci",
         text="From here on\r\n.\rthe end", html=HTML,
         files=(("mission-7.ics", "text/calendar", ICS), ("plan.pdf", "application/pdf",
                                                          bytes(range(256)) * 3))),
], ids=["plain", "alternative", "attachments"])
def test_the_wire_bytes_are_those_smtplib_writes(mail):
    message = compose(mail)
    assert wire_bytes(message) == _as_smtplib_writes_it(message)


def test_a_message_not_composed_here_is_left_to_the_generator():
    assert wire_bytes(MIMEText("x", "plain", "us-ascii")) is None
    changed = compose(Mail(sender="a@vitre.fr", to="zoe@example.org", subject="s", text="t"))
    changed.replace_header("Content-Transfer-Encoding", "7bit")
    assert wire_bytes(changed) is None
