// Charts of the management page, drawn from the JSON the page carries (no other request).
// Every word on the charts comes translated from the server in data.labels.
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var L = data.labels;
  var config = { displayModeBar: false, responsive: true };
  var blue = "#1f5fa8", light = "#8dbbe8", red = "#b03a2e", green = "#2e7d4f";

  function layout(extra) {
    var base = {
      margin: { l: 64, r: 40, t: 16, b: 110 },
      font: { family: "system-ui, sans-serif", size: 13 },
      legend: { orientation: "h", y: 1.12 },
      separators: L.separators,
      paper_bgcolor: "#fff",
      plot_bgcolor: "#fff",
      xaxis: { automargin: true, tickangle: -40 },
      yaxis: { automargin: true }
    };
    for (var key in extra) { base[key] = extra[key]; }
    return base;
  }

  function targetLine(y, text) {
    return {
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y,
                 line: { color: red, width: 2, dash: "dash" } }],
      annotations: [{ xref: "paper", x: 1, y: y, text: text, showarrow: false,
                      xanchor: "right", yanchor: "bottom", font: { color: red } }]
    };
  }

  // A hidden figure draws as a hatched grey bar of the chart's full height in its own slot,
  // named in the legend ("fewer than 5"), never as a missing bar that reads as zero.
  var grey = "#8a94a3";
  var legendShown = {};
  function hiddenBars(chart, names, values, height, group) {
    var x = [], y = [];
    values.forEach(function (v, i) { if (v === null) { x.push(names[i]); y.push(height); } });
    var first = !legendShown[chart];
    if (x.length) { legendShown[chart] = true; }
    return { type: "bar", name: L.hidden, x: x, y: y, offsetgroup: group,
             legendgroup: "hidden", showlegend: first && x.length > 0,
             marker: { color: "#fff", line: { color: grey, width: 1 },
                       pattern: { shape: "/", fgcolor: grey, size: 6, solidity: 0.3 } },
             hovertext: x.map(function () { return L.hidden_hover; }), hoverinfo: "x+text" };
  }
  function highest(lists, floor) {
    var top = floor || 0;
    lists.forEach(function (l) { l.forEach(function (v) { if (v !== null && v > top) { top = v; } }); });
    return top;
  }

  // On a narrow screen the district bar charts lie on their side: every district's name
  // reads whole on its own line, first district at the top.
  function districtBars(id, traces, lay) {
    var box = document.getElementById(id);
    if (!box || box.clientWidth >= 560) { return Plotly.newPlot(id, traces, layout(lay), config); }
    var groups = {};
    traces.forEach(function (t) { groups[t.offsetgroup || t.name] = true; });
    var side = traces.map(function (t) {
      var c = {};
      for (var k in t) { c[k] = t[k]; }
      c.orientation = "h"; c.x = t.y; c.y = t.x;
      if (t.hoverinfo) { c.hoverinfo = "y+text"; }
      return c;
    });
    var value = lay.yaxis || {};
    var turned = {};
    for (var key in lay) { turned[key] = lay[key]; }
    turned.xaxis = { title: value.title, range: value.range, rangemode: value.rangemode,
                     automargin: true };
    turned.yaxis = { automargin: true, autorange: "reversed", tickangle: 0 };
    turned.margin = { l: 8, r: 16, t: 72, b: 48 };
    turned.height = 90 + names.length * (10 + 12 * Object.keys(groups).length);
    turned.legend = { orientation: "h", x: 0, y: 1.05, yanchor: "bottom" };
    if (lay.shapes) {
      var y = lay.shapes[0].y0;
      turned.shapes = [{ type: "line", yref: "paper", y0: 0, y1: 1, x0: y, x1: y,
                         line: lay.shapes[0].line }];
      turned.annotations = [{ yref: "paper", y: 1, x: y, text: lay.annotations[0].text,
                              showarrow: false, xanchor: "left", yanchor: "bottom",
                              font: lay.annotations[0].font }];
    }
    return Plotly.newPlot(id, side, layout(turned), config);
  }

  // Two figures per district side by side (the first dark, the second light), each with its
  // hidden figures drawn as hatched bars up to `top`.
  function pairedBars(id, chart, top, first, second, lay) {
    districtBars(id, [
      { type: "bar", name: first.name, x: names, marker: { color: blue }, y: first.y,
        offsetgroup: first.group },
      { type: "bar", name: second.name, x: names, marker: { color: light }, y: second.y,
        offsetgroup: second.group },
      hiddenBars(chart, names, first.y, top, first.group),
      hiddenBars(chart, names, second.y, top, second.group)
    ], lay);
  }

  var names = data.waits.map(function (w) { return w.name; });
  var target = data.target_weeks;
  var t = targetLine(target, L.target);
  var medians = data.waits.map(function (w) { return w.offer_median_weeks; });
  var p90s = data.waits.map(function (w) { return w.offer_p90_weeks; });
  var waitTop = highest([medians, p90s], target);
  pairedBars("chart-waits", "waits", waitTop,
    { name: L.median, y: medians, group: "median" }, { name: L.p90, y: p90s, group: "p90" },
    { barmode: "group", shapes: t.shapes, annotations: t.annotations,
      yaxis: { title: { text: L.weeks_to_offer }, rangemode: "tozero" } });

  var shares = data.waits.map(function (w) { return w.share_within_target; });
  districtBars("chart-share", [
    { type: "bar", name: L.within_target, x: names, marker: { color: green }, y: shares,
      offsetgroup: "share" },
    hiddenBars("share", names, shares, 100, "share")
  ], { barmode: "group", yaxis: { title: { text: L.share_axis }, range: [0, 100] },
        legend: { orientation: "h", y: 1.12 } });

  var weeks = data.trend.weeks;
  var trend = [
    { type: "scatter", mode: "lines+markers", name: L.city_median, x: weeks,
      y: data.trend.city_age_median_weeks, line: { color: blue, width: 3 } },
    { type: "scatter", mode: "lines", name: L.city_p90, x: weeks,
      y: data.trend.city_age_p90_weeks, line: { color: blue, dash: "dot" } }
  ];
  data.trend.district_age_median_weeks.forEach(function (d) {
    trend.push({ type: "scatter", mode: "lines", name: d.name, x: weeks, y: d.values,
                 line: { width: 1 }, opacity: 0.55, visible: "legendonly" });
  });
  var tt = targetLine(target, L.target);
  Plotly.newPlot("chart-trend", trend, layout({
    shapes: tt.shapes, annotations: tt.annotations,
    yaxis: { title: { text: L.weeks_waited }, rangemode: "tozero" },
    legend: { orientation: "h", y: -0.3 }
  }), config);

  Plotly.newPlot("chart-equality", [
    { type: "scatter", mode: "lines+markers", name: L.median_ratio, x: weeks,
      y: data.trend.age_median_ratio, line: { color: blue } },
    { type: "scatter", mode: "lines+markers", name: L.p90_ratio, x: weeks,
      y: data.trend.age_p90_ratio, line: { color: light } },
    { type: "scatter", mode: "lines", name: L.cv, x: weeks,
      y: data.trend.age_median_cv, line: { color: green, dash: "dot" }, yaxis: "y2" }
  ], layout({
    yaxis: { title: { text: L.ratio_axis }, rangemode: "tozero" },
    yaxis2: { title: { text: L.cv }, overlaying: "y", side: "right",
              rangemode: "tozero" },
    margin: { l: 64, r: 64, t: 16, b: 110 }
  }), config);

  // Flows between districts when the server found enough published to draw (flows_chart),
  // else each district's in and out.
  var shown = data.flows.filter(function (f) { return f.placements !== null; });
  shown.sort(function (a, b) { return b.placements - a.placements; });
  if (data.flows_chart === "pairs") {
    var top = shown.slice(0, 15).reverse();
    Plotly.newPlot("chart-flows", [
      { type: "bar", orientation: "h", name: L.placements, marker: { color: blue },
        y: top.map(function (f) { return f.from_name + " → " + f.to_name; }),
        x: top.map(function (f) { return f.placements; }) }
    ], layout({ margin: { l: 260, r: 16, t: 16, b: 48 },
                xaxis: { title: { text: L.placed_axis }, rangemode: "tozero",
                         automargin: true } }),
    config);
    return;
  }
  var ins = data.waits.map(function (w) { return w.placed_in; });
  var outs = data.waits.map(function (w) { return w.placed_out; });
  var flowTop = highest([ins, outs], 1);
  pairedBars("chart-flows", "flows", flowTop,
    { name: L.placed_in, y: ins, group: "in" }, { name: L.placed_out, y: outs, group: "out" },
    { barmode: "group", yaxis: { title: { text: L.placements }, rangemode: "tozero" } });
})();
