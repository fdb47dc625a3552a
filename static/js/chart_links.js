// A chart whose figure says `layout.meta.opens = "customdata"` opens the address in a mark's
// customdata when the mark is clicked (the deal timeline: each mark is a deal). Loaded by
// templates/includes/flow_over_time.html, possibly again after an htmx swap: it listens once.
(function () {
  "use strict";
  if (window.dealwatchChartLinks) return;
  window.dealwatchChartLinks = true;

  function follow(element) {
    if (element.dataset.linksFollowed || typeof element.on !== "function") return;
    var layout = element.layout || {};
    if (!layout.meta || layout.meta.opens !== "customdata") return;
    element.dataset.linksFollowed = "true";
    element.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var address = point && point.customdata;
      // Only our own pages: an address starting with one slash.
      if (typeof address === "string" && /^\/(?!\/)/.test(address)) {
        window.location.assign(address);
      }
    });
  }

  function scan() {
    document.querySelectorAll("[data-plotly-figure][data-drawn]").forEach(follow);
  }

  // charts.js marks each chart `data-drawn` once plotly has drawn it, now or after a swap.
  new MutationObserver(scan).observe(document.documentElement, {
    subtree: true,
    attributes: true,
    attributeFilter: ["data-drawn"],
    childList: true,
  });
  scan();
})();
