import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from bedside.compliance.models import Authorization, Cover
from tests.factories.practices import PracticeFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class AuthorizationFactory(factory.django.DjangoModelFactory):
    """An active authorization covering story and name, with a small signed PDF."""

    class Meta:
        model = Authorization

    practice = factory.SubFactory(PracticeFactory)
    subject_name = "Maria Lopez"
    covers = factory.LazyFunction(lambda: [Cover.NAME.value, Cover.STORY.value])
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=3))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=365))
    document = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="form.pdf"))
    document_type = "application/pdf"
