"""The HTML page of a simulation report: tables, embedded charts, how to reproduce."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, select_autoescape

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>What-if simulation: {{ data.weeks }} weeks, seed {{ data.seed }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
thead th{background:#f2f2f2}
img{max-width:100%}
pre{background:#f6f6f6;padding:.75rem;overflow-x:auto;font-size:.8rem}
</style></head><body>
<h1>What-if simulation</h1>
<p>{{ data.weeks }} weekly placement rounds from {{ data.inputs.start }} after a
{{ data.inputs.warmup_weeks }}-week warm-up under the status quo; every policy sees the same
{{ data.inputs.arrivals }} arrivals, the same {{ data.inputs.planned_groups }} planned groups and
the same parent answers (seed {{ data.seed }}). Figures cover the {{ data.inputs.cohort }}
applications open at the start or arriving during the period. Synthetic data: no real person.</p>

<h2>Policies side by side</h2>
<table><thead><tr><th>Figure</th>
{% for p in data.policies %}<th>{{ p.policy.label }}</th>{% endfor %}</tr></thead><tbody>
{% for key, title in columns %}<tr><td>{{ title }}</td>
{% for p in data.policies %}<td>{{ fmt(p.summary[key]) }}</td>{% endfor %}</tr>
{% endfor %}
<tr><td>Max/min ratio vs first policy</td>
{% for p in data.policies %}<td>{{ fmt(p.versus_first_policy.max_min_ratio) }}</td>{% endfor %}</tr>
</tbody></table>

<h2>Waiting time per district</h2>
<img alt="Median and 90th-percentile wait per district for each policy"
 src="data:image/png;base64,{{ images['simulation_waits.png'] }}">
<table><thead><tr><th>District</th>
{% for p in data.policies %}<th>{{ p.policy.name }}: median / P90 (weeks)</th>{% endfor %}
{% for p in data.policies %}<th>{{ p.policy.name }}: groups started / cancelled</th>{% endfor %}
</tr></thead><tbody>
{% for d in districts %}<tr><td>{{ names.get(d, d) }}</td>
{% for p in data.policies %}<td>{{ fmt(p.by_district[d].median_wait_weeks) }} /
{{ fmt(p.by_district[d].p90_wait_weeks) }}</td>{% endfor %}
{% for p in data.policies %}<td>{{ p.by_district[d].groups_started }} /
{{ p.by_district[d].groups_cancelled }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>

<h2>Equality over the weeks</h2>
<img alt="Max/min ratio of district median waits, week by week, for each policy"
 src="data:image/png;base64,{{ images['simulation_equality.png'] }}">

<h2>Definitions</h2>
<ul>
<li>Wait: queue date to the offer of the seat a parent holds; for parents still waiting at
the end, the time waited so far. Withdrawn and expired applications are not in the waits.</li>
<li>Max/min ratio: the largest district median over the smallest, the smallest floored at one
week (rounds are weekly). 1 means equal.</li>
<li>Share within target: parents offered a seat within the target weeks, among those whose
outcome is known (offered a seat, or waiting longer than the target).</li>
<li>Management metrics: the same figures the management dashboard publishes
(waitlist.metrics) computed over the simulated period: median wait from queue date to the first
offer for waits the system caused, per district, only where the district's cells are large
enough to publish; and the gap between districts in the share offered within target.</li>
<li>Week-by-week ratio: medians over the last 13 weeks' accepted offers and everyone waiting.</li>
</ul>

<h2>Reproduce</h2>
{% if data.command %}<pre>{{ data.command }}</pre>{% endif %}
<details><summary>Policies</summary>
<pre>{{ dump(data.policies | map(attribute='policy') | list) }}</pre></details>
<details><summary>Calibration</summary><pre>{{ dump(data.calibration) }}</pre></details>
</body></html>
"""


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def render_html(
    data: dict[str, Any],
    images: dict[str, str],
    names: dict[str, str],
    columns: tuple[tuple[str, str], ...],
) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    template = env.from_string(_TEMPLATE)
    first = data["policies"][0]["by_district"] if data["policies"] else {}
    districts = sorted(first, key=lambda d: -(first[d]["median_wait_weeks"] or 0.0))
    return template.render(
        data=data,
        images=images,
        names=names,
        columns=columns,
        districts=districts,
        fmt=_fmt,
        dump=lambda obj: json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False),
    )
