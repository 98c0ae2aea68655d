"""Transparent lexicon of call-note signals: a note matches a signal when it contains one of its terms.

Terms are whole words or phrases, matched case-insensitively. Organisations may extend the lists;
every match can be shown to staff as "the note said 'fell'". (An optional sentence-embedding matcher
is described in docs/risk.md; the lexicon is the default and needs no model.)
"""

from __future__ import annotations

import re

LEXICON: dict[str, tuple[str, ...]] = {
    "bereavement": (
        "bereaved",
        "bereavement",
        "passed away",
        "died",
        "funeral",
        "widowed",
        "lost her husband",
        "lost his wife",
        "lost my",
    ),
    "hospital": ("hospital", "a&e", "admitted", "discharged", "ambulance", "ward"),
    "fall": ("fall", "fell", "fallen", "tripped", "on the floor", "couldn't get up"),
    "confusion": ("confused", "confusion", "forgetful", "dementia", "memory", "disorientated", "wandering"),
    "cant_cope": ("can't cope", "cannot cope", "not coping", "struggling", "overwhelmed", "at the end of"),
    "self_harm": (
        "self harm",
        "self-harm",
        "suicidal",
        "end it all",
        "hurt myself",
        "overdose",
        "kill myself",
    ),
}

LABELS: dict[str, str] = {
    "bereavement": "bereavement",
    "hospital": "a hospital stay",
    "fall": "a fall",
    "confusion": "confusion or memory problems",
    "cant_cope": "not coping",
    "self_harm": "self-harm",
}


def signal_pattern(signal: str) -> str:
    """Case-insensitive regular expression for one signal (same syntax in Rust `regex` and Python `re`)."""
    terms = "|".join(re.escape(t).replace("\\ ", " ") for t in LEXICON[signal])
    return rf"(?i)(?:^|[^a-z0-9])(?:{terms})(?:$|[^a-z0-9])"
