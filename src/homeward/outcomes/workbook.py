"""The business case as a spreadsheet whose figures are live formulas, so a commissioner can audit them.

One sheet, top to bottom: parameters; years and discount factors; costs; cohorts; each outcome's inputs
and yearly benefit; benefits by kind and agency; present values and the headline figures. Inputs are
plain values (blue), everything else a formula. Each formula's cached value is worked out here by the
same arithmetic the formula states (not copied from the engine), so the tests can check the formulas
against the engine's figures: a spreadsheet that disagrees with the appraisal fails CI.
"""

from __future__ import annotations

import io
import math
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from homeward.engines.cba import Model, model_inputs
from homeward.engines.cba.kernel import KINDS

FIRST_YEAR_COL = 3  # column D


class _Sheet:
    def __init__(self, ws: Any, fmt: dict[str, Any]) -> None:
        self.ws, self.fmt = ws, fmt
        self.values: dict[str, Any] = {}

    def input(self, row: int, col: int, value: Any, style: str = "input") -> str:
        self.ws.write(row, col, value, self.fmt[style])
        ref = xl_rowcol_to_cell(row, col)
        self.values[ref] = value
        return ref

    def label(self, row: int, col: int, text: str, style: str = "label") -> None:
        self.ws.write(row, col, text, self.fmt[style])

    def formula(self, row: int, col: int, formula: str, value: Any, style: str = "money") -> str:
        self.ws.write_formula(row, col, "=" + formula, self.fmt[style], value)
        ref = xl_rowcol_to_cell(row, col)
        self.values[ref] = value
        return ref


def _abs(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


def build_workbook(model: Model, title: str, sources: list[tuple[str, str]]) -> bytes:
    """The .xlsx bytes for `model` at its central values; `sources` are (assumption, source) rows."""
    base = {i.path: i.base for i in model_inputs(model)}
    years = model.years
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    fmt = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "head": wb.add_format({"bold": True, "bottom": 1}),
        "label": wb.add_format({}),
        "input": wb.add_format({"font_color": "#005EB8", "num_format": "#,##0.00##"}),
        "money": wb.add_format({"num_format": "£#,##0.00"}),
        "num": wb.add_format({"num_format": "0.0000"}),
        "ratio": wb.add_format({"num_format": "0.00"}),
        "bold_money": wb.add_format({"num_format": "£#,##0.00", "bold": True}),
        "text": wb.add_format({"text_wrap": True, "valign": "top"}),
    }
    ws = wb.add_worksheet("Appraisal")
    ws.set_column(0, 0, 46)
    ws.set_column(1, 2, 14)
    ws.set_column(FIRST_YEAR_COL, FIRST_YEAR_COL + max(years, 10), 14)
    s = _Sheet(ws, fmt)
    s.label(0, 0, title, "title")
    s.label(
        1,
        0,
        f"Blue figures are inputs; every other figure is a formula. Money in £ at {model.price_year} prices.",
        "text",
    )
    ycols = [FIRST_YEAR_COL + t for t in range(years)]

    # Parameters
    s.label(3, 0, "Discount rate")
    rate = _abs(3, 1)
    s.input(3, 1, base["discount_rate"])
    s.label(4, 0, "Appraisal years")
    s.input(4, 1, years)
    s.label(5, 0, "Price year")
    s.input(5, 1, model.price_year)

    # Years and discount factors
    row = 7
    s.label(row, 0, "Year", "head")
    for t, c in zip(range(years), ycols, strict=True):
        s.input(row, c, t, "head")
    disc_row = row + 1
    s.label(disc_row, 0, "Discount factor 1/(1+r)^t")
    disc = []
    for t, c in enumerate(ycols):
        v = 1.0 / (1.0 + s.values[rate.replace("$", "")]) ** t
        disc.append(v)
        s.formula(disc_row, c, f"1/(1+{rate})^{xl_rowcol_to_cell(row, c, row_abs=True)}", v, "num")

    # Costs: one input row per cost line, then the yearly total with optimism-bias uplift.
    row = disc_row + 2
    s.label(row, 0, "Costs (input rows)", "head")
    for col, head in ((1, "Year"), (2, "Amount"), (3, "Uplift")):
        s.label(row, col, head, "head")
    s.label(row, 4, "Agency", "head")
    first = row + 1
    for i, cost in enumerate(model.costs):
        r = first + i
        s.label(r, 0, cost.name or f"Cost {i + 1}")
        s.input(r, 1, cost.year)
        s.input(r, 2, base[f"costs[{i}].amount"])
        s.input(r, 3, base[f"costs[{i}].optimism_bias"])
        s.label(r, 4, cost.agency or "Unassigned")
    last = first + max(len(model.costs), 1) - 1
    row = last + 2
    s.label(row, 0, "Costs in year (with uplift)", "head")
    cost_row = row
    costs = []
    yr = f"$B${first + 1}:$B${last + 1}"
    amt = f"$C${first + 1}:$C${last + 1}"
    up = f"$D${first + 1}:$D${last + 1}"
    for t, c in enumerate(ycols):
        v = math.fsum(
            base[f"costs[{i}].amount"] * (1 + base[f"costs[{i}].optimism_bias"])
            for i, cost in enumerate(model.costs)
            if cost.year == t
        )
        costs.append(v)
        ref = xl_rowcol_to_cell(7, c, row_abs=True)
        s.formula(cost_row, c, f"SUMPRODUCT(({yr}={ref})*{amt}*(1+{up}))", v)

    # Cohorts
    row = cost_row + 2
    s.label(row, 0, "Participants entering (input rows)", "head")
    s.label(row, 1, "Year", "head")
    s.label(row, 2, "Participants", "head")
    cfirst = row + 1
    for i, cohort in enumerate(model.cohorts):
        s.label(cfirst + i, 0, f"Cohort {i + 1}")
        s.input(cfirst + i, 1, cohort.year)
        s.input(cfirst + i, 2, base[f"cohorts[{i}].participants"])
    clast = cfirst + max(len(model.cohorts), 1) - 1
    enter_row = clast + 2
    s.label(enter_row, 0, "Participants entering in year", "head")
    entering = []
    for t, c in enumerate(ycols):
        v = math.fsum(base[f"cohorts[{i}].participants"] for i, h in enumerate(model.cohorts) if h.year == t)
        entering.append(v)
        ref = xl_rowcol_to_cell(7, c, row_abs=True)
        s.formula(
            enter_row,
            c,
            f"SUMIF($B${cfirst + 1}:$B${clast + 1},{ref},$C${cfirst + 1}:$C${clast + 1})",
            v,
            "ratio",
        )

    # Outcomes: inputs in B..; the per-participant value (factor) and yearly benefit.
    row = enter_row + 2
    heads = [
        "Engagement",
        "Success",
        "Deadweight",
        "Attribution",
        "Unit value £",
        "Optimism bias",
        "Duration",
        "Drop-off",
    ]
    s.label(row, 0, "Outcomes (inputs)", "head")
    for k, head in enumerate(heads):
        s.label(row, 1 + k, head, "head")
    s.label(row, 1 + len(heads), "Value per success £", "head")
    benefit_rows: list[tuple[int, list[float]]] = []
    orow = row + 1
    for i, outcome in enumerate(model.outcomes):
        p = f"outcomes[{i}]"
        r = orow + i
        s.label(r, 0, outcome.name)
        vals = [
            base[f"{p}.engagement_rate"],
            base[f"{p}.success_rate"],
            base[f"{p}.deadweight"],
            base[f"{p}.attribution"],
            base[f"{p}.unit_value"],
            base[f"{p}.optimism_bias"],
            outcome.duration_years,
            base[f"{p}.drop_off"],
        ]
        for k, v in enumerate(vals):
            s.input(r, 1 + k, v)
        cells = [_abs(r, 1 + k) for k in range(len(heads))]
        factor = vals[0] * vals[1] * (1 - vals[2]) * vals[3] * vals[4] * (1 - vals[5])
        s.formula(
            r,
            1 + len(heads),
            f"{cells[0]}*{cells[1]}*(1-{cells[2]})*{cells[3]}*{cells[4]}*(1-{cells[5]})",
            factor,
        )
        benefit_rows.append((r, vals))
    row = orow + len(model.outcomes) + 1
    s.label(row, 0, "Benefit by outcome in year", "head")
    yearly: list[list[float]] = []
    brow0 = row + 1
    for i, (r, vals) in enumerate(benefit_rows):
        b = brow0 + i
        s.label(b, 0, model.outcomes[i].name)
        factor_cell = _abs(r, 1 + len(heads))
        duration, drop = int(vals[6]), _abs(r, 8)
        values = []
        for t, c in enumerate(ycols):
            terms, v = [], 0.0
            for lag in range(min(duration, years)):
                if t - lag < 0:
                    break
                enter = xl_rowcol_to_cell(enter_row, ycols[t - lag], row_abs=True)
                terms.append(f"{enter}*{factor_cell}*(1-{drop})^{lag}")
                v += entering[t - lag] * s.values[factor_cell.replace("$", "")] * (1 - vals[7]) ** lag
            values.append(v)
            s.formula(b, c, "+".join(terms) if terms else "0", v)
        yearly.append(values)

    # Shares by kind and agency for each outcome, then benefits by kind and agency per year.
    row = brow0 + len(model.outcomes) + 1
    agencies = sorted({b.agency for o in model.outcomes for b in o.beneficiaries})
    share_heads = [*[f"{k} share" for k in KINDS], "cashable share", *[f"{a} share" for a in agencies]]
    s.label(row, 0, "Who benefits (shares of each outcome)", "head")
    for k, head in enumerate(share_heads):
        s.label(row, 1 + k, head, "head")
    srow0 = row + 1
    shares: list[list[float]] = []
    for i, outcome in enumerate(model.outcomes):
        vals = [math.fsum(b.share for b in outcome.beneficiaries if b.kind == k) for k in KINDS]
        vals.append(math.fsum(b.share for b in outcome.beneficiaries if b.cashable))
        vals += [math.fsum(b.share for b in outcome.beneficiaries if b.agency == a) for a in agencies]
        s.label(srow0 + i, 0, outcome.name)
        for k, v in enumerate(vals):
            s.input(srow0 + i, 1 + k, v)
        shares.append(vals)
    row = srow0 + len(model.outcomes) + 1
    n_out = len(model.outcomes)
    split_rows: dict[str, int] = {}
    split_values: dict[str, list[float]] = {}
    for k, name in enumerate([*KINDS, "cashable", *agencies]):
        r = row + k
        s.label(r, 0, f"Benefits in year: {name}")
        split_rows[name], split_values[name] = r, []
        share_col = xl_col_to_name(1 + k)
        for t, c in enumerate(ycols):
            col = xl_col_to_name(c)
            bens = f"{col}{brow0 + 1}:{col}{brow0 + max(n_out, 1)}"
            shs = f"${share_col}${srow0 + 1}:${share_col}${srow0 + max(n_out, 1)}"
            v = math.fsum(yearly[i][t] * shares[i][k] for i in range(n_out))
            split_values[name].append(v)
            s.formula(r, c, f"SUMPRODUCT({bens},{shs})" if n_out else "0", v)
    row = row + 3 + 1 + len(agencies) + 1

    # Cumulative discounted flows for payback.
    cum_cost_row, cum_fiscal_row = row, row + 1
    s.label(cum_cost_row, 0, "Cumulative discounted cost")
    s.label(cum_fiscal_row, 0, "Cumulative discounted fiscal benefit")
    cum_c = cum_f = 0.0
    cum_costs, cum_fiscal = [], []
    for t, c in enumerate(ycols):
        col = xl_col_to_name(c)
        first_col = xl_col_to_name(ycols[0])
        cum_c += costs[t] * disc[t]
        cum_f += split_values["fiscal"][t] * disc[t]
        cum_costs.append(cum_c)
        cum_fiscal.append(cum_f)
        frow = split_rows["fiscal"] + 1
        discounts = f"${first_col}${disc_row + 1}:{col}{disc_row + 1}"
        s.formula(
            cum_cost_row, c, f"SUMPRODUCT(${first_col}${cost_row + 1}:{col}{cost_row + 1},{discounts})", cum_c
        )
        s.formula(cum_fiscal_row, c, f"SUMPRODUCT(${first_col}${frow}:{col}{frow},{discounts})", cum_f)

    # Headline figures.
    row = cum_fiscal_row + 2
    last_col = xl_col_to_name(ycols[-1])
    first_col = xl_col_to_name(ycols[0])

    def pv(r: int) -> str:
        discounts = f"{first_col}{disc_row + 1}:{last_col}{disc_row + 1}"
        return f"SUMPRODUCT({first_col}{r + 1}:{last_col}{r + 1},{discounts})"

    s.label(row, 0, "Present values and headline figures", "head")
    out: dict[str, Any] = {}
    r = row + 1
    out["pv_costs"] = math.fsum(c * d for c, d in zip(costs, disc, strict=True))
    pv_costs = s.formula(r, 1, pv(cost_row), out["pv_costs"], "bold_money")
    s.label(r, 0, "Present value of costs")
    kinds_ref: dict[str, str] = {}
    for kind in KINDS:
        r += 1
        out[f"pv_{kind}"] = math.fsum(v * d for v, d in zip(split_values[kind], disc, strict=True))
        kinds_ref[kind] = s.formula(r, 1, pv(split_rows[kind]), out[f"pv_{kind}"])
        s.label(r, 0, f"Present value of {kind} benefits")
    for a in agencies:
        r += 1
        out[f"pv_agency.{a}"] = math.fsum(v * d for v, d in zip(split_values[a], disc, strict=True))
        s.formula(r, 1, pv(split_rows[a]), out[f"pv_agency.{a}"])
        s.label(r, 0, f"Present value of benefits to {a}")
    r += 1
    out["public_value"] = out["pv_fiscal"] + out["pv_economic"] + out["pv_social"]
    pub = s.formula(
        r,
        1,
        f"{kinds_ref['fiscal']}+{kinds_ref['economic']}+{kinds_ref['social']}",
        out["public_value"],
        "bold_money",
    )
    s.label(r, 0, "Public value (fiscal + economic + social)")
    r += 1
    out["npv"] = out["public_value"] - out["pv_costs"]
    s.formula(r, 1, f"{pub}-{pv_costs}", out["npv"], "bold_money")
    s.label(r, 0, "Net present value")

    def ratio(num: float, den: float) -> float | str:
        return num / den if den else "n/a"

    for label, key, num, formula in (
        ("Financial ROI (fiscal ÷ costs)", "financial_roi", out["pv_fiscal"], kinds_ref["fiscal"]),
        (
            "Economic ROI ((fiscal + economic) ÷ costs)",
            "economic_roi",
            out["pv_fiscal"] + out["pv_economic"],
            f"({kinds_ref['fiscal']}+{kinds_ref['economic']})",
        ),
        ("Social ROI (public value ÷ costs)", "social_roi", out["public_value"], pub),
    ):
        r += 1
        out[key] = ratio(num, out["pv_costs"])
        s.formula(r, 1, f'IF({pv_costs}=0,"n/a",{formula}/{pv_costs})', out[key], "ratio")
        s.label(r, 0, label)
    r += 1
    pv_cash = math.fsum(v * d for v, d in zip(split_values["cashable"], disc, strict=True))
    out["cashable_share"] = pv_cash / out["public_value"] if out["public_value"] else "n/a"
    s.formula(r, 1, f'IF({pub}=0,"n/a",{pv(split_rows["cashable"])}/{pub})', out["cashable_share"], "ratio")
    s.label(r, 0, "Cashable share of public value")
    r += 1
    payback: int | str = "never"
    for t in range(years):
        if cum_fiscal[t] >= cum_costs[t] - 1e-4:
            payback = t
            break
    out["payback_year"] = payback
    yrs = f"{first_col}8:{last_col}8"
    cf = f"{first_col}{cum_fiscal_row + 1}:{last_col}{cum_fiscal_row + 1}"
    cc = f"{first_col}{cum_cost_row + 1}:{last_col}{cum_cost_row + 1}"
    s.formula(
        r, 1, f'IFERROR(INDEX({yrs},MATCH(TRUE,INDEX({cf}>={cc}-0.0001,0),0)),"never")', payback, "label"
    )
    s.label(r, 0, "Payback year (cumulative discounted fiscal benefit ≥ cost)")

    src = wb.add_worksheet("Assumptions and sources")
    src.set_column(0, 0, 50)
    src.set_column(1, 1, 110)
    src.write(0, 0, "Assumption", fmt["head"])
    src.write(0, 1, "What it rests on", fmt["head"])
    for i, (label, text) in enumerate(sources, start=1):
        src.write(i, 0, label, fmt["text"])
        src.write(i, 1, text, fmt["text"])
    wb.close()
    return buf.getvalue()
