"""Bot Framework JWTs signed by a test key that botbuilder's own validation trusts.

botbuilder validates a channel token against the signing keys published at the Bot
Framework's OpenID metadata URL, and caches them per URL in
``JwtTokenExtractor.metadataCache``. :class:`ChannelKeys` puts a fresh RSA key (with
the ``msteams`` endorsement, as the real keys carry) into that cache for the real
public-cloud URL, so the whole production check runs (issuer, audience = app id,
``serviceurl`` claim, expiry, signature, endorsement) with no network. Tokens signed by
another key, expired, or for another app fail that check the way forged ones would.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import jwt
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdMetadata
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

METADATA_URL = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
KEY_ID = "panelbot-test-key"


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class ChannelKeys:
    """``with ChannelKeys() as keys: keys.token(app_id=…, service_url=…)``."""

    def __init__(self) -> None:
        self.key = _private_key()
        self.impostor = _private_key()
        self._saved: Any = None

    def __enter__(self) -> ChannelKeys:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        metadata = _OpenIdMetadata(METADATA_URL)
        metadata.keys = [{**jwk, "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]
        metadata.last_updated = datetime.now()
        self._saved = JwtTokenExtractor.metadataCache.get(METADATA_URL)
        JwtTokenExtractor.metadataCache[METADATA_URL] = metadata
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is None:
            JwtTokenExtractor.metadataCache.pop(METADATA_URL, None)
        else:
            JwtTokenExtractor.metadataCache[METADATA_URL] = self._saved

    def token(
        self, *, app_id: str, service_url: str, expires_in: int = 3600, forged: bool = False,
        issuer: str = ISSUER,
    ) -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": app_id, "serviceurl": service_url,
                  "nbf": now - 60, "iat": now - 60, "exp": now + expires_in}
        key = self.impostor if forged else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})

    def header(self, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**kw)}"}
