// Dashboard charts (Apache ECharts). Each chart's data comes from a json_script element "chart-<name>";
// every chart has its table next to it on the page, so nothing is shown only as a picture; the container's aria-label
// (set by the server) says the chart's figures in words. Where colour tells series apart (the pie, the stacked grades),
// each also has its own pattern (ECharts decals), in the legend too, so colour is never the only cue.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var RED = "#b71c1c";
  var STATUS_COLORS = ["#198754", "#0d6efd", "#fd7e14", "#dc3545", "#adb5bd"];
  var GRADE_COLORS = ["#198754", "#0d6efd", "#ffc107", "#dc3545"];
  // patterns on; ECharts' own generated description off, so the server's summary stays the chart's name
  var PATTERNS = { enabled: true, label: { enabled: false }, decal: { show: true } };

  function data(name) {
    var el = document.getElementById("chart-" + name);
    return el ? JSON.parse(el.textContent) : null;
  }

  var builders = {
    coverage: function (d) {
      return {
        grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { interval: 0 } },
        series: [{
          type: "bar", data: d.values, itemStyle: { color: RED },
          label: { show: true, position: "right", formatter: "{c}%" },
          markLine: { symbol: "none", label: { show: false }, data: [{ xAxis: 100 }], lineStyle: { color: "#198754", type: "dashed" } }
        }]
      };
    },
    pie: function (d) {
      return {
        aria: PATTERNS,
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        color: STATUS_COLORS,
        series: [{
          type: "pie", radius: ["35%", "65%"],
          data: d.labels.map(function (label, i) { return { name: label, value: d.values[i] }; }),
          label: { formatter: "{b}: {c}" }
        }]
      };
    },
    bar: function (d) {
      return {
        grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: d.values, itemStyle: { color: RED }, label: { show: true, position: "top" } }]
      };
    },
    stacked: function (d) {
      return {
        grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
        aria: PATTERNS,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        color: GRADE_COLORS,
        xAxis: { type: "category", data: d.periods },
        yAxis: { type: "value", minInterval: 1 },
        series: d.grades.map(function (g, i) { return { name: g, type: "bar", stack: "grades", data: d.series[i] }; })
      };
    }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var d = data(el.dataset.chart);
    var build = builders[el.dataset.kind];
    if (!d || !build) { return; }
    if (el.dataset.kind === "coverage" && d.labels.length > 10) {
      el.style.height = (d.labels.length * 24 + 60) + "px";  // one readable bar per unit
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(build(d));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
