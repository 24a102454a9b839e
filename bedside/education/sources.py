"""Trusted sources: the domains a practice cites without a clinician's extra approval.

A practice's list starts as ``DEFAULT_TRUSTED_SOURCES`` the first time its education
settings are read (``services.education_settings_of``), and its admins edit it after.
A citation is trusted when its host is a listed domain or a subdomain of one
(``www.cdc.gov`` and ``wwwnc.cdc.gov`` under ``cdc.gov``), never a look-alike
(``cdc.gov.example.com`` or ``notcdc.gov``).
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from bedside.core.errors import Invalid

DEFAULT_TRUSTED_SOURCES: tuple[tuple[str, str], ...] = (
    ("medlineplus.gov", "MedlinePlus"),
    ("nih.gov", "National Institutes of Health"),
    ("cdc.gov", "Centers for Disease Control and Prevention"),
    ("fda.gov", "U.S. Food and Drug Administration"),
    ("who.int", "World Health Organization"),
    ("uspreventiveservicestaskforce.org", "U.S. Preventive Services Task Force"),
    ("ahrq.gov", "Agency for Healthcare Research and Quality"),
    ("nhs.uk", "NHS"),
    ("cochrane.org", "Cochrane"),
    ("cochranelibrary.com", "Cochrane Library"),
    ("aafp.org", "American Academy of Family Physicians"),
    ("familydoctor.org", "familydoctor.org (AAFP)"),
    ("aap.org", "American Academy of Pediatrics"),
    ("healthychildren.org", "HealthyChildren.org (AAP)"),
    ("acog.org", "American College of Obstetricians and Gynecologists"),
    ("heart.org", "American Heart Association"),
    ("diabetes.org", "American Diabetes Association"),
    ("cancer.org", "American Cancer Society"),
    ("mayoclinic.org", "Mayo Clinic"),
    ("clevelandclinic.org", "Cleveland Clinic"),
    ("hhs.gov", "U.S. Department of Health and Human Services"),
    ("cancer.gov", "National Cancer Institute"),
)

MAX_DOMAIN = 253


def domain_of(url: str, *, field: str = "url") -> str:
    """The host of an http(s) URL, lower case, without ``www.`` and port; else ``Invalid``."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        raise Invalid("Give a full link starting with https://.", field=field) from None
    if parts.scheme not in {"http", "https"} or not host or "." not in host:
        raise Invalid("Give a full link starting with https:// (or http://).", field=field)
    host = host.rstrip(".").lower()
    return host.removeprefix("www.")


def clean_domain(value: str, *, field: str = "domain") -> str:
    """A domain as typed (``CDC.gov``, ``https://www.cdc.gov/flu``) in its stored form."""
    text = value.strip()
    if not text:
        raise Invalid("Type a domain, e.g. cdc.gov.", field=field)
    if "://" not in text:
        text = f"https://{text}"
    domain = domain_of(text, field=field)
    labels = domain.split(".")
    if len(domain) > MAX_DOMAIN or any(
        not label or len(label) > 63 or not all(ch.isalnum() or ch == "-" for ch in label)
        for label in labels
    ):
        raise Invalid("That does not look like a domain, e.g. cdc.gov.", field=field)
    return domain


def is_trusted(domain: str, trusted: Iterable[str]) -> bool:
    """Is ``domain`` one of ``trusted`` or a subdomain of one?"""
    return any(domain == item or domain.endswith(f".{item}") for item in trusted)
