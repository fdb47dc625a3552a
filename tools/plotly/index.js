// The plotly.js traces DealWatch draws, and nothing else (see README.md beside this file).
// The charts (deals/charts/) use scatter (network nodes and edges, valuation lines), bar
// (runs-on, standing), heatmap (lab x cloud) and sankey (money flows); the offline map of
// data-centre sites uses scattergeo.
"use strict";

var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/scatter"),
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/heatmap"),
  require("plotly.js/lib/sankey"),
  require("plotly.js/lib/scattergeo"),
]);

module.exports = Plotly;
