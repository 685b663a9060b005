"""Single sign-on with OpenID Connect: log in with the school's own account.

Built on mozilla-django-oidc (its request view makes the state, nonce and PKCE pair and
keeps them in the session; its backend fetches the tokens and the provider's keys). What
this module adds, and why:

- **Discovery.** The endpoints come from ``SSO_ISSUER/.well-known/openid-configuration``
  (read once an hour), so an operator configures one address, not four.
- **The ID token's claims are checked**, not only its signature: issuer, audience (and
  ``azp``), expiry and issue time, nonce. The library checks the signature and nonce,
  not the audience or issuer (and an expired token made an uncaught error there); a
  token for another application or an old token must not open an account.
- **Matching, never creating.** The configured claim (``SSO_MATCH_CLAIM``) is matched to
  one existing account's ``SSO_MATCH_FIELD`` (email or user name, case-insensitively).
  No account is made and no role is read from the provider: what a user may do follows
  from their Bondgenoot memberships only. An account without a membership, a
  deactivated account, an unknown or ambiguous match is refused.
- **Every refusal has a reason** (``SSORefused.reason``) that the callback view writes to
  the audit log, without names.
- **Two-step login** stays for the roles that need it, unless the ID token asserts
  multi-factor login with one of the configured ``amr`` or ``acr`` values
  (``SSO_MFA_AMR``, ``SSO_MFA_ACR``); see ``accounts.middleware.second_step_done``.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify, import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView
from requests.exceptions import HTTPError, RequestException

from bondgenoot import access

BACKEND = "bondgenoot.accounts.sso.SSOBackend"

# mozilla-django-oidc setting -> the key in the provider's discovery document.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 3600
_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


class SSORefused(Exception):
    """A single sign-on that did not lead to a login. ``reason`` goes to the audit log;
    ``user`` is the matched account when there was one (deactivated, no membership)."""

    def __init__(self, reason: str, user: Any = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user

    @property
    def no_account(self) -> bool:
        """The provider said who it is, but Bondgenoot has no usable account for them."""
        return self.reason in {
            "unknown_user",
            "ambiguous_user",
            "inactive_account",
            "no_membership",
        }


def discovery() -> dict[str, Any]:
    """The provider's discovery document (cached for an hour per issuer)."""
    issuer = settings.SSO_ISSUER
    now = time.monotonic()
    with _discovery_lock:
        cached = _discovery.get(issuer)
        if cached and now - cached[0] < DISCOVERY_SECONDS:
            return cached[1]
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (RequestException, ValueError) as error:
        raise SSORefused("provider_unreachable") from error
    # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer we asked.
    # (A trailing slash aside: SSO_ISSUER is kept without one.)
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise SSORefused("wrong_issuer")
    with _discovery_lock:
        _discovery[issuer] = (now, document)
    return document


def forget_discovery() -> None:
    with _discovery_lock:
        _discovery.clear()


def _setting(attr: str, *default: Any) -> Any:
    if attr in _DISCOVERED:
        return discovery().get(_DISCOVERED[attr], *default)
    return import_from_settings(attr, *default)


class SSORequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (a plain redirect; nothing of the provider's is
    loaded in our pages), with state, nonce and a PKCE challenge kept in the session."""

    get_settings = staticmethod(_setting)


@dataclass(frozen=True)
class SignIn:
    user: Any
    mfa: bool  # the provider asserted multi-factor login (a configured amr or acr)


def _values(claim: Any) -> set[str]:
    if isinstance(claim, str):
        return {claim}
    if isinstance(claim, list):
        return {v for v in claim if isinstance(v, str)}
    return set()


class SSOBackend(OIDCAuthenticationBackend):
    """Never used by ``django.contrib.auth.authenticate()`` (it answers None there, so a
    password login never reaches it); the callback view calls ``sign_in``. It is listed
    in AUTHENTICATION_BACKENDS so that a session started by single sign-on finds its
    user on later requests."""

    get_settings = staticmethod(_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library's __init__ reads the endpoints; that would ask the provider on every
        # request of a signed-in user (Django makes a backend per request). Lazily instead.
        self.UserModel = get_user_model()

    # What the library's methods read from ``self``: settings, and the endpoints from
    # discovery, looked up when a sign-on needs them.
    _LAZY = frozenset(
        {
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_RP_SIGN_ALGO",
        }
    )

    def __getattr__(self, name: str) -> Any:
        if name in self._LAZY:
            return _setting(name, None)
        if name == "OIDC_RP_IDP_SIGN_KEY":  # keys come from the provider's JWKS only
            return None
        raise AttributeError(name)

    def authenticate(self, request: Any, **kwargs: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> Any:
        # Django's rule, not the library's: a deactivated account's session ends at once.
        return ModelBackend.get_user(self, user_id)

    # The flow ------------------------------------------------------------------------

    def sign_in(self, request: Any, nonce: str, code_verifier: str | None) -> SignIn:
        code = request.GET.get("code", "")
        self.request = request
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": absolutify(request, self._callback_path()),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        try:
            tokens = self.get_token(payload)
        except HTTPError as error:
            raise SSORefused("token_refused") from error
        except (RequestException, ValueError) as error:
            raise SSORefused("provider_unreachable") from error
        id_token = tokens.get("id_token") if isinstance(tokens, dict) else None
        if not isinstance(id_token, str):
            raise SSORefused("no_id_token")
        claims = self.verify_token(id_token, nonce=nonce)
        mfa = bool(
            _values(claims.get("amr")) & settings.SSO_MFA_AMR
            or _values(claims.get("acr")) & settings.SSO_MFA_ACR
        )
        user = self.match(self._with_userinfo(claims, tokens.get("access_token")))
        return SignIn(user=user, mfa=mfa)

    def _callback_path(self) -> str:
        from django.urls import reverse

        return reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """Signature *and* claims of the ID token (OpenID Connect Core 3.1.3.7)."""
        nonce = kwargs.get("nonce") or ""
        algorithm = self.OIDC_RP_SIGN_ALGO
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise SSORefused("bad_token") from error
        if header.get("alg") != algorithm:
            raise SSORefused("bad_signature")
        try:
            key = self.retrieve_matching_jwk(token)
        except SuspiciousOperation as error:
            raise SSORefused("bad_signature") from error
        except (RequestException, ValueError, KeyError) as error:
            raise SSORefused("provider_unreachable") from error
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],  # exactly as the provider writes it
                leeway=settings.SSO_CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SSORefused("expired") from error
        except jwt.InvalidAudienceError as error:
            raise SSORefused("wrong_audience") from error
        except jwt.InvalidIssuerError as error:
            raise SSORefused("wrong_issuer") from error
        except jwt.ImmatureSignatureError as error:
            raise SSORefused("not_yet_valid") from error
        except jwt.MissingRequiredClaimError as error:
            raise SSORefused("claim_missing") from error
        except jwt.InvalidTokenError as error:
            raise SSORefused("bad_signature") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SSORefused("wrong_audience")
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce) or not nonce:
            raise SSORefused("nonce_mismatch")
        return claims

    def _with_userinfo(self, claims: dict[str, Any], access_token: Any) -> dict[str, Any]:
        """The ID token's claims; when the claim to match on is not among them, the
        provider's userinfo endpoint is asked (for the same ``sub``) as well."""
        claim = settings.SSO_MATCH_CLAIM
        if claims.get(claim) or not access_token or not self.OIDC_OP_USER_ENDPOINT:
            return claims
        try:
            info = self.get_userinfo(access_token, None, claims)
        except (RequestException, ValueError, SuspiciousOperation, SSORefused) as error:
            raise SSORefused("userinfo_failed") from error
        if not isinstance(info, dict) or info.get("sub") != claims.get("sub"):
            raise SSORefused("userinfo_failed")
        return {**info, **claims}

    def match(self, claims: dict[str, Any]) -> Any:
        """The one existing account the claim points at, if it may log in."""
        value = claims.get(settings.SSO_MATCH_CLAIM)
        if not isinstance(value, str) or not value.strip():
            raise SSORefused("claim_missing")
        if settings.SSO_MATCH_CLAIM == "email" and claims.get("email_verified") in (
            False,
            "false",
        ):
            raise SSORefused("email_not_verified")
        # Case-insensitively for both: providers send "12AB-T0042" for "12ab-t0042".
        lookup = "email__iexact" if settings.SSO_MATCH_FIELD == "email" else "username__iexact"
        users = self.UserModel.objects.filter(**{lookup: value.strip()})
        found = list(users[:2])
        if not found:
            raise SSORefused("unknown_user")
        if len(found) > 1:
            raise SSORefused("ambiguous_user")
        user = found[0]
        if not user.is_active:
            raise SSORefused("inactive_account", user)
        # Roles come from Bondgenoot's memberships only; no membership, no login here
        # (a parent's account uses the parent portal, never the school's sign-on).
        if not access.roles(user):
            raise SSORefused("no_membership", user)
        return user
