"""Access-matrix examples for the linkage routes that write or search, keyed by route name. The matrix's
world has a pair between its person (held by the holder) and a record the shared partner holds, under the
shared agreement, and a tenant-in-hospital alert for the holder about its person."""

EXAMPLES = {
    "linkage:review": {"marker": 'href="/linkage/pairs/{pair_id}/"'},
    "linkage:pair": {"payload": {"decision": "unsure", "note": "Matrix"}},
    "linkage:pair_undo": {"payload": {"confirm": "1"}},
    "linkage:alerts": {"marker": 'action="/linkage/alerts/{link_alert_id}/mark/"'},
    "linkage:alert_mark": {"payload": {"status": "seen"}},
    "api:linkage_review_queue": {"payload": {"limit": 25}, "marker": '"id": {pair_id}'},
    "api:decide_link_pair": {"payload": {"decision": "unsure", "note": "Matrix"}},
    "api:undo_link_pair": {"payload": {}},
}
