// A map (a figure with `layout.geo`) made as tall as its map needs. plotly keeps a map's shape,
// so the figure's fixed height, right on a desktop where the map fills the height, leaves empty
// bands above and below it on a phone, where the width limits it. Each time plotly has drawn
// the map (first drawing, a resize, a redraw), the figure's height is set to what the map needs
// at the box's width, never more than the figure's own height. Loaded by the data-centre
// pages (templates/datacentres/), possibly again after an htmx swap: it listens once.
(function () {
  "use strict";
  if (window.dealwatchSiteMaps) return;
  window.dealwatchSiteMaps = true;

  var SLACK_PX = 2; // closer than this is a fit: no redraw for a pixel

  // The figure's own height, as the server drew it (the most the map is given).
  function tallest(element) {
    var source = document.getElementById(element.dataset.plotlyFigure);
    var figure = source ? JSON.parse(source.textContent) : {};
    return (figure.layout && figure.layout.height) || element.clientHeight;
  }

  function fit(element) {
    var size = element._fullLayout && element._fullLayout._size; // plotly's plot area
    var frame = element.querySelector(".geo .layer.bg"); // the projected map's outline box
    if (!size || !frame || !size.w || !size.h) return;
    var box = frame.getBoundingClientRect();
    if (!box.width || !box.height) return;
    // The map scaled to the plot area's width: as tall as it would then be, plus the rest of
    // the figure (title, legend, margins).
    var wanted = (box.height * size.w) / box.width;
    var current = element._fullLayout.height;
    var height = Math.round(Math.min(tallest(element), current - size.h + wanted));
    if (Math.abs(height - current) < SLACK_PX) return;
    element.style.setProperty("--chart-height", height + "px");
    // The same figure with the new height and no width, as charts.js draws it, so the width
    // stays the box's (Plotly.relayout would fix it along with the height, and the map would
    // stop following the window).
    var layout = Object.assign({}, element.layout, { height: height });
    delete layout.width;
    Plotly.react(element, element.data, layout, element._context);
  }

  function follow(element) {
    if (element.dataset.mapFitted || typeof element.on !== "function") return;
    if (!(element.layout && element.layout.geo)) return;
    element.dataset.mapFitted = "true";
    element.on("plotly_afterplot", function () { fit(element); });
    fit(element);
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
