"""Riverside's consent records: one patient's story published under her authorization, and
an authorization that ran out, made through the compliance services.

Maria Lopez signed a form covering her story, photos and name for a year; the editor
records it, writes the post that names her, attaches the authorization and publishes, so
the guard lets it through. An older photo authorization expired last month; the expiry
sweep handles it here as the clock would. Each step leaves its row in the audit log.
"""

import io
from datetime import timedelta

from django.db.models import QuerySet

from bedside.compliance.documents import private_storage
from bedside.compliance.guard import practice_today
from bedside.compliance.models import Authorization, Cover
from bedside.compliance.services import (
    DocumentUpload,
    attach_authorization,
    create_authorization,
)
from bedside.compliance.sweeps import expire_authorizations
from bedside.demo import riverside
from bedside.posts.models import Kind, Post, Topic, Visibility
from bedside.posts.services import create_post
from bedside.practices.models import Practice, Role, User
from bedside.studio.services import publish

STORY_TITLE = "Maria's first 5K, eight months after her new knee"
STORY_BODY = """\
Our patient Maria Lopez ran her first 5K on Saturday, eight months after her knee
replacement. She asked us to share her story to encourage anyone putting off surgery
because they fear the recovery: "Do the exercises, every single day. It works."

Congratulations from all of us at Riverside!"""


def signed_form(subject: str) -> bytes:
    """A one-page PDF standing in for a scanned, signed authorization form."""
    text = f"Authorization to use my story, photos and name - {subject}".encode("latin-1")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _form(subject: str) -> DocumentUpload:
    data = signed_form(subject)
    return DocumentUpload(file=io.BytesIO(data), size=len(data))


def add_authorizations() -> tuple[Authorization, Post]:
    """Maria's authorization and the published post relying on it (plus an expired one)."""
    practice = Practice.objects.get(slug=riverside.SLUG)
    editor = User.objects.get(
        email=next(x.email for x in riverside.LOGINS if x.role == Role.EDITOR)
    )
    today = practice_today(practice)
    maria = create_authorization(
        by=editor,
        practice=practice,
        subject_name="Maria Lopez",
        covers=[Cover.STORY, Cover.PHOTO, Cover.NAME],
        signed_on=today - timedelta(days=12),
        expires_on=today + timedelta(days=365),
        document=_form("Maria Lopez"),
    )
    create_authorization(
        by=editor,
        practice=practice,
        subject_name="Robert Chen",
        covers=[Cover.PHOTO],
        signed_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=35),
        document=_form("Robert Chen"),
    )
    post = create_post(
        by=editor,
        practice=practice,
        kind=Kind.ANNOUNCEMENT,
        topic=Topic.NON_MEDICAL,
        title=STORY_TITLE,
        body=STORY_BODY,
        visibility=Visibility.PUBLIC,
    )
    attach_authorization(by=editor, post=post, authorization=maria)
    publish(by=editor, post=post)
    expire_authorizations()
    return maria, post


def signed_form_names(practices: "QuerySet[Practice]") -> list[str]:
    """The private files of these practices' authorizations, to delete with them."""
    rows = Authorization.objects.filter(practice__in=practices).values_list("document", flat=True)
    return [name for name in rows if name]


def delete_signed_forms(names: list[str]) -> None:
    for name in names:
        private_storage.delete(name)
