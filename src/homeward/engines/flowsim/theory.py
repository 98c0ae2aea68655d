"""Closed-form queueing results the simulator is validated against."""

from __future__ import annotations


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c with offered load a = λ/μ (Erlang B recursion)."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability an arrival waits in M/M/c (Erlang C, Kleinrock vol. 1 eq. 3.40)."""
    b = erlang_b(c, a)
    rho = a / c
    return b / (1 - rho * (1 - b))


def mmc_mean_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue Wq = C(c, a) / (cμ − λ) for M/M/c (Kleinrock vol. 1 eq. 3.43)."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mg_inf_occupancy(lam: float, mean_los: float) -> float:
    """Mean number in an M/G/∞ system: λ·E[S] (Little's law)."""
    return lam * mean_los


__all__ = ["erlang_b", "erlang_c", "mg_inf_occupancy", "mmc_mean_wait"]
