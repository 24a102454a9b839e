import email
import socket
from email import policy

from aiosmtpd.controller import Controller
from django.core.mail import EmailMultiAlternatives

from bedside.demo.mail_sink import Mailbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_demo_mailbox_keeps_each_message_sent_over_smtp_as_an_eml_file(tmp_path, settings):
    port = free_port()
    controller = Controller(Mailbox(tmp_path / "mail"), hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        message = EmailMultiAlternatives("Flu shots are in", "Walk in.", to=["pat@example.org"])
        message.attach_alternative("<p>Walk in.</p>", "text/html")
        message.send()
    finally:
        controller.stop()

    [saved] = (tmp_path / "mail").glob("*.eml")
    parsed = email.message_from_bytes(saved.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Flu shots are in"
    assert parsed["To"] == "pat@example.org"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Walk in.</p>"
