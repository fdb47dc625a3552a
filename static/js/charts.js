// Draws every chart on the page from the figure JSON the server placed beside it, and again
// whenever htmx swaps new content in. There is no inline script: the figures are data.
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
      var source = document.getElementById(element.dataset.plotlyFigure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      var config = Object.assign(
        { responsive: true, displaylogo: false, locale: document.documentElement.lang },
        figure.config || {}
      );
      Plotly.react(element, figure.data || [], figure.layout || {}, config);
      element.dataset.drawn = "true";
    });
  }

  function start() {
    drawCharts(document);
    document.body.addEventListener("htmx:afterSettle", function (event) {
      drawCharts(event.detail.elt || document);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
