"""In the demo, the patient finds their data rights in the account menu and their export is
full: every demo login's address is on record, ready to be changed."""

import io
import json
import zipfile
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bedside.demo import riverside
from bedside.demo.privacy import add_email_records
from bedside.practices.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_patient_exports_a_full_account_and_may_change_their_address():
    call_command("seed_demo", stdout=StringIO())
    patient = User.objects.get(email=riverside.LOGINS[-1].email)
    address = EmailAddress.objects.get(user=patient)
    assert (address.email, address.verified, address.primary) == (patient.email, True, True)
    assert EmailAddress.objects.filter(email=riverside.SECOND_OWNER.email, verified=True).exists()

    client = Client()
    client.force_login(patient)
    assert reverse("privacy") in client.get(reverse("account_email")).content.decode()
    response = client.post(reverse("privacy_download"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert len(data["memberships"]) == 2  # Riverside and Harbor
    assert data["comments"] and data["reactions"]

    before = EmailAddress.objects.count()
    add_email_records()  # a second run changes nothing
    assert EmailAddress.objects.count() == before
