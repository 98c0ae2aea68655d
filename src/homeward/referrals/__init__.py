"""Closed-loop referrals between organisations: sent, answered, and closed with an outcome."""
