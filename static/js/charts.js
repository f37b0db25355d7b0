/* The dashboards' charts, drawn with the bundled Chart.js (static/vendor/chartjs). The CSP allows no
   inline script, so each <canvas class="chart" data-chart='{…}'> carries its data as JSON
   (app/web/charts.py) and this file draws it. Load it after chart.umd.min.js.

   Right-to-left pages (dir="rtl"): legends and tooltips are laid out right to left, the value axis
   stands on the right, and time runs from right to left: the oldest month at the right edge, the
   newest at the left, as a Persian reader reads a row (the x axis is reversed; horizontal bars
   grow leftwards from the right). Persian pages (lang="fa") write every number on the axes and in
   the tooltips with Persian digits and the Arabic thousands separator; the labels (Jalali month
   names, outlets, topics) come already written for the reader. Vazirmatn is the font. */
(function () {
  "use strict";

  var PALETTE = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#0dcaf0", "#6c757d",
                 "#d63384", "#ffc107"];
  var root = document.documentElement;
  var rtl = root.dir === "rtl";
  var persian = (root.lang || "fa").indexOf("fa") === 0;

  function persianDigits(text) {
    return String(text).replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06f0 + Number(d)); });
  }

  // 1234.5 → «۱٬۲۳۴٫۵» on Persian pages, "1,234.5" on English ones.
  function formatNumber(value) {
    var text = Number(value).toLocaleString("en-US", { maximumFractionDigits: 1 });
    return persian ? persianDigits(text.replace(/,/g, "\u066c").replace(/\./g, "\u066b")) : text;
  }

  function datasetOf(spec, data, index) {
    var colour = PALETTE[index % PALETTE.length];
    var line = spec.type === "line";
    return {
      label: data.label, data: data.data, borderColor: colour, backgroundColor: line ? colour : colour + "cc",
      borderWidth: line ? 2 : 0, pointRadius: line ? 3 : 0, tension: 0.2, fill: false
    };
  }

  // A reversed axis puts its last label (the newest month) at the left end, slanted down to the
  // left when the labels are rotated; Chart.js leaves room for the first label there, as if the
  // axis ran left to right, and «آذر ۱۴۰۵» was cut at the canvas's edge (a browser walk, at 375
  // and 1280 px alike). Room for it: the rotated label's reach to the left.
  function roomForTheLastLabel(scale) {
    var ticks = scale.ticks || [];
    if (!scale.labelRotation || !ticks.length) {
      return;
    }
    var font = window.Chart.helpers.toFont(scale.options.ticks.font);
    var ctx = scale.ctx;
    ctx.save();
    ctx.font = font.string;
    var label = ticks[ticks.length - 1].label;
    var width = ctx.measureText(Array.isArray(label) ? label.join(" ") : String(label)).width;
    ctx.restore();
    var angle = scale.labelRotation * Math.PI / 180;
    var reach = Math.cos(angle) * width + Math.sin(angle) * font.lineHeight / 2;
    scale.paddingLeft = Math.max(scale.paddingLeft || 0, Math.ceil(reach));
  }

  function optionsOf(spec) {
    var valueAxis = { beginAtZero: true, stacked: spec.stacked, ticks: { precision: 0, callback: formatNumber } };
    var labelAxis = { stacked: spec.stacked, grid: { display: false } };
    var scales = {};
    if (spec.horizontal) {
      scales.x = Object.assign(valueAxis, { reverse: rtl });
      scales.y = Object.assign(labelAxis, { position: rtl ? "right" : "left" });
    } else {
      scales.x = Object.assign(labelAxis, { reverse: rtl, afterFit: rtl ? roomForTheLastLabel : undefined });
      scales.y = Object.assign(valueAxis, { position: rtl ? "right" : "left" });
    }
    var direction = rtl ? "rtl" : "ltr";
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return {
      responsive: true, maintainAspectRatio: false, animation: reduced ? false : { duration: 300 },
      indexAxis: spec.horizontal ? "y" : "x", locale: persian ? "fa-IR" : "en-US", scales: scales,
      interaction: { mode: "index", intersect: false },
      layout: { padding: { left: 12, right: 12 } },  // room for the rotated month at either end
      plugins: {
        legend: { display: spec.datasets.length > 1, rtl: rtl, textDirection: direction,
                  position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          rtl: rtl, textDirection: direction,
          callbacks: {
            label: function (context) {
              var value = spec.horizontal ? context.parsed.x : context.parsed.y;
              return context.dataset.label + ": " + formatNumber(value);
            }
          }
        }
      }
    };
  }

  function draw(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute("data-chart"));
    } catch (error) {
      canvas.setAttribute("data-chart-error", "json");
      return;
    }
    var chart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets.map(function (d, i) { return datasetOf(spec, d, i); }) },
      options: optionsOf(spec)
    });
    canvas.setAttribute("data-chart-drawn", String(chart.data.datasets.length));
  }

  function drawAll() {
    if (!window.Chart) {
      return;  // the table under each chart still holds the numbers
    }
    var family = getComputedStyle(document.body).fontFamily || "Vazirmatn, system-ui, sans-serif";
    window.Chart.defaults.font.family = family;
    window.Chart.defaults.color = "#495057";
    document.querySelectorAll("canvas.chart[data-chart]").forEach(draw);
  }

  function start() {
    // Draw once Vazirmatn is loaded, so the first frame is not measured in a fallback font.
    if (document.fonts && document.fonts.load) {
      document.fonts.load("12px Vazirmatn").then(drawAll, drawAll);
    } else {
      drawAll();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
