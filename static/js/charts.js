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
      var layout = figure.layout || {};
      // The page already shows the title as the figure's caption: don't print it twice.
      var figureElement = element.closest("figure");
      if (figureElement && figureElement.querySelector("figcaption")) {
        layout.title = { text: "" };
        layout.margin = Object.assign({}, layout.margin, { t: Math.min((layout.margin || {}).t || 30, 30) });
      }
      Plotly.react(element, figure.data || [], layout, config);
      element.dataset.drawn = "true";
    });
  }

  function start() {
    // Plotly measures labels to make room for them: wait for the self-hosted (Arabic) font,
    // or long names are measured in the fallback font and end up cut off.
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () { drawCharts(document); });
    } else {
      drawCharts(document);
    }
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
