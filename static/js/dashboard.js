/* Dashboard charts: the data comes from the page's <script type="application/json" id="dashboard-charts">
   (json_script), the same rows as the table beside each chart. No inline script: CSP forbids it. */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var COLORS = ["#1e40af", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#0369a1", "#4d7c0f"];

  function readSpecs() {
    var node = document.getElementById("dashboard-charts");
    if (!node) { return []; }
    try { return JSON.parse(node.textContent) || []; } catch (e) { return []; }
  }

  function narrow() { return window.matchMedia("(max-width: 575.98px)").matches; }

  function optionFor(spec) {
    var base = {
      color: COLORS,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: spec.type === "pie" ? "item" : "axis" },
      animation: false,
    };
    if (spec.type === "pie") {
      var rows = spec.categories.map(function (name, i) { return { name: name, value: spec.series[0].data[i] }; });
      base.legend = { bottom: 0, textStyle: { fontFamily: FONT } };
      base.series = [{
        type: "pie", radius: narrow() ? ["30%", "60%"] : ["35%", "65%"], center: ["50%", "45%"], data: rows,
        label: { show: !narrow(), formatter: "{b}\n{c}（{d}%）", fontFamily: FONT },
      }];
      return base;
    }
    var horizontal = spec.type === "hbar";
    var category = {
      type: "category", data: horizontal ? spec.categories.slice().reverse() : spec.categories,
      axisLabel: { fontFamily: FONT, interval: 0, width: horizontal ? 110 : 70, overflow: "truncate" },
    };
    var value = { type: "value", minInterval: 1, axisLabel: { fontFamily: FONT } };
    base.grid = { left: 8, right: 16, top: spec.series.length > 1 ? 32 : 16, bottom: 8, containLabel: true };
    if (spec.series.length > 1) { base.legend = { top: 0, textStyle: { fontFamily: FONT } }; }
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? category : value;
    base.series = spec.series.map(function (s) {
      return {
        name: s.name, type: "bar", barMaxWidth: 36,
        data: horizontal ? s.data.slice().reverse() : s.data,
        label: { show: true, position: horizontal ? "right" : "top", fontFamily: FONT },
      };
    });
    return base;
  }

  function draw() {
    if (!window.echarts) { return; }
    var charts = [];
    readSpecs().forEach(function (spec) {
      var node = document.querySelector('[data-chart="' + spec.key + '"]');
      if (!node) { return; }
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption(optionFor(spec));
      node.setAttribute("data-rendered", "true");
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  function periodFields() {
    var select = document.getElementById("f-period");
    if (!select) { return; }
    function sync() {
      document.querySelectorAll("[data-period-field]").forEach(function (field) {
        field.classList.toggle("d-none", field.getAttribute("data-period-field") !== select.value);
      });
      var year = document.getElementById("f-year");
      if (year) { year.closest("div").classList.toggle("d-none", select.value === "range"); }
    }
    select.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () { periodFields(); draw(); });
})();
