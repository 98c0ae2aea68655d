"""Reablement and intermediate care: units, beds, referrals, stays, plans, MDT reviews, 91-day follow-up."""
