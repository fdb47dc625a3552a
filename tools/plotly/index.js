// The plotly.js traces DealWatch draws, and nothing else (see README.md beside this file).
// The charts (deals/charts/) use scatter (network nodes and edges, valuation lines), bar
// (runs-on, standing), heatmap (lab x cloud) and sankey (money flows); the offline map of
// data-centre sites uses scattergeo.
"use strict";

var Plotly = require("plotly.js/lib/core");
var arabic = require("plotly.js/lib/locales/ar");

Plotly.register([
  require("plotly.js/lib/scatter"),
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/heatmap"),
  require("plotly.js/lib/sankey"),
  require("plotly.js/lib/scattergeo"),
]);

// Arabic dates on the axes of Arabic pages (static/js/charts.js sets config.locale to the
// page's language). plotly's "ar" names the months in their Levantine forms, lists آذار for
// both March and May, and abbreviates them to digits; the charts use the month names the
// rest of the page is written with (Django's Arabic catalogue: "نوفمبر 2025").
var MONTHS = [
  "يناير", "فبراير", "مارس", "إبريل", "مايو", "يونيو",
  "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
];
Plotly.register(
  Object.assign({}, arabic, {
    format: Object.assign({}, arabic.format, { months: MONTHS, shortMonths: MONTHS }),
  })
);

module.exports = Plotly;
