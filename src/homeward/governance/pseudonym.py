"""Pseudonymisation for analytics: a keyed hash (HMAC-SHA256) of a person's id.

Analysts see only these; without the key (HOMEWARD_PSEUDONYM_KEY) they cannot be reversed or linked
to other datasets (ICO anonymisation guidance: pseudonymised data is still personal data - keep it guarded).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pseudonymise(person_id: int, *, key: str | None = None) -> str:
    secret = (key or settings.PSEUDONYM_KEY).encode()
    return hmac.new(secret, f"person:{person_id}".encode(), hashlib.sha256).hexdigest()[:32]
