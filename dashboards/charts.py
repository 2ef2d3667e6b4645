"""How every chart reads in Bahasa Indonesia: Rp 15.000 on the axis, "6 Sep" and "Sep 2026" under it (plotly
knows only English month names, so the labels are ours), hover text in the same words, the legend below the
chart where a phone has room for it, and no English toolbar."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from siharpa_pipeline.messages import BULAN, tanggal

MAX_TICKS = 6  # what fits under a chart 390 px wide
MONTH_STEPS = (1, 2, 3, 4, 6, 12, 24)
DAY_STEPS = (1, 2, 7, 14)
CONFIG = {"displayModeBar": False, "locale": "id"}


def month_label(day: dt.date) -> str:
    return f"{BULAN[day.month - 1]} {day.year}"


def date_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[str]]:
    """At most MAX_TICKS dates between start and end with Indonesian labels: days ("6 Sep") for short spans,
    first days of months ("Sep 2026") for longer ones."""
    days = (end - start).days
    if days <= 62:
        step = next((s for s in DAY_STEPS if days / s < MAX_TICKS), DAY_STEPS[-1])
        ticks = [start + dt.timedelta(days=i) for i in range(0, days + 1, step)]
        return ticks, [f"{d.day} {BULAN[d.month - 1]}" for d in ticks]
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in MONTH_STEPS if months / s < MAX_TICKS), MONTH_STEPS[-1])
    first = start.year * 12 + start.month - 1 + (start.day > 1)  # months from year 0, the first whole one shown
    first += -first % step  # on a multiple of the step: Jan/Apr/Jul/Oct, Jan/Jul, Jan
    last = end.year * 12 + end.month - 1
    ticks = [dt.date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1, step)]
    return ticks, [month_label(d) for d in ticks]


def _dates(values) -> list[dt.date]:
    return [pd.Timestamp(v).date() for v in values]


def _is_dates(values) -> bool:
    first = values[0] if len(values) else None
    return isinstance(first, (dt.date, np.datetime64))


def indonesian(
    fig: go.Figure, *, y: str = "rupiah", monthly: bool = False, height: int = 420, y_title: str | None = None
) -> go.Figure:
    """Axis ticks, hover text and legend in Indonesian. y: "rupiah", "persen" or "angka"."""
    spans: list[dt.date] = []
    for trace in fig.data:
        xs = getattr(trace, "x", None)
        if xs is None or not _is_dates(xs):
            continue
        days = _dates(xs)
        spans += [min(days), max(days)]
        trace.customdata = [month_label(d) if monthly else tanggal(d) for d in days]
        trace.hovertemplate = f"%{{customdata}}<br>{trace.name or ''}: {_y_hover(y)}<extra></extra>"
    if spans:
        ticks, labels = date_ticks(min(spans), max(spans))
        fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=labels)
    fig.update_yaxes(**_y_axis(y))
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    fig.update_layout(
        separators=",.",
        height=height,
        margin={"t": 30, "l": 10, "r": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title_text": ""},
        xaxis_title_text=None,
    )
    return fig


def _y_axis(y: str) -> dict:
    if y == "rupiah":
        return {"tickprefix": "Rp ", "tickformat": ",.0f"}
    if y == "persen":
        return {"ticksuffix": "%", "tickformat": ",.1~f"}
    return {"tickformat": ",.0f"}


def _y_hover(y: str) -> str:
    return {"rupiah": "Rp %{y:,.0f}", "persen": "%{y:,.1f}%"}.get(y, "%{y:,.0f}")


def show(fig: go.Figure) -> None:
    st.plotly_chart(fig, width="stretch", config=CONFIG)
