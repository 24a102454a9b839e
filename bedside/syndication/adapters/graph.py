"""Meta's Graph API as the Facebook Page and Instagram adapters both speak it.

Errors come as ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``
(developers.facebook.com/docs/graph-api/guides/error-handling): code 190 (and 102) is an
expired or revoked token; 10 and 200–299 a permission the token lacks; 4, 17, 32, 613 and
80001–80014 are rate limits, whose wait is in ``X-Business-Use-Case-Usage``
(``estimated_time_to_regain_access``, minutes) for page tokens; 1 and 2 are transient.
The token goes in the ``Authorization`` header, never in a URL that could reach a log.
"""

import json
from typing import Any

import httpx

from bedside.syndication.adapters.base import Account, AuthExpired, NetworkError, RateLimited

GRAPH_API = "https://graph.facebook.com/v23.0"
AUTH_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
TRANSIENT_CODES = frozenset({1, 2})
# Without a usage header, wait out most of the platform's one-hour sliding window.
DEFAULT_WAIT = 900.0


def base_url(account: Account) -> str:
    return (account.server_url or GRAPH_API).rstrip("/")


def headers(account: Account) -> dict[str, str]:
    return {"Authorization": f"Bearer {account.credentials['access_token']}"}


def error_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def is_gone(response: httpx.Response) -> bool:
    """404, or Graph's 400 "object does not exist" (code 100, subcode 33)."""
    if response.status_code == 404:
        return True
    error = error_of(response)
    return error.get("code") == 100 and error.get("error_subcode") == 33


def retry_after(response: httpx.Response) -> float:
    """Seconds until the account may call again, from Meta's usage headers."""
    waits: list[float] = []
    for header in ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage"):
        raw = response.headers.get(header)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        waits.extend(_regain_minutes(usage))
    return max(waits) * 60 if waits else DEFAULT_WAIT


def _regain_minutes(usage: object) -> list[float]:
    if isinstance(usage, list):
        return [minutes for item in usage for minutes in _regain_minutes(item)]
    if not isinstance(usage, dict):
        return []
    found = []
    for key, value in usage.items():
        if key == "estimated_time_to_regain_access" and isinstance(value, int | float):
            found.append(float(value))
        elif isinstance(value, dict | list):
            found.extend(_regain_minutes(value))
    return [minutes for minutes in found if minutes > 0]


def failure(response: httpx.Response, *, network: str, action: str) -> NetworkError:
    """The staff-readable error for a Graph answer that is not a success."""
    error = error_of(response)
    code = error.get("code")
    message = str(error.get("message", ""))[:300]
    detail = {
        "code": code,
        "error_subcode": error.get("error_subcode"),
        "fbtrace_id": error.get("fbtrace_id"),
    }
    status = response.status_code
    if code in AUTH_CODES:
        return AuthExpired(
            f"{network} no longer accepts this channel's token (it expired or was revoked); "
            "reconnect the channel.",
            status=status,
            permanent=True,
            detail=detail,
        )
    if code in PERMISSION_CODES:
        return AuthExpired(
            f"{network} refused {action} because the token lacks a permission ({message}); "
            "reconnect the channel and grant it.",
            status=status,
            permanent=True,
            detail=detail,
        )
    if code in RATE_LIMIT_CODES or status == 429:
        return RateLimited(
            f"{network} asked us to slow down while {action}.",
            status=status,
            retry_after=retry_after(response),
            detail=detail,
        )
    if code in TRANSIENT_CODES or status >= 500:
        return NetworkError(
            f"{network} had a temporary problem while {action} ({message or status}).",
            status=status,
            detail=detail,
        )
    return NetworkError(
        f"{network} refused {action}: {message or status}",
        status=status,
        permanent=True,
        detail=detail,
    )


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    network: str,
    action: str,
    account: Account,
    **kwargs: Any,
) -> httpx.Response:
    """One request; a transport failure becomes a retryable ``NetworkError``."""
    try:
        return client.request(method, url, headers=headers(account), **kwargs)
    except httpx.TimeoutException as exc:
        raise NetworkError(f"{network} did not answer in time while {action}.") from exc
    except httpx.TransportError as exc:
        raise NetworkError(f"Could not reach {network} while {action}.") from exc


def checked(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    network: str,
    action: str,
    account: Account,
    **kwargs: Any,
) -> dict[str, Any]:
    """``send`` and the JSON body of a success, or the right ``NetworkError``."""
    response = send(client, method, url, network=network, action=action, account=account, **kwargs)
    if response.is_success:
        body = response.json()
        return body if isinstance(body, dict) else {}
    raise failure(response, network=network, action=action)
