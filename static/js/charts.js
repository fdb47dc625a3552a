// Draws every chart on the page from the figure JSON the server placed beside it, and again
// whenever htmx swaps new content in. There is no inline script: the figures are data.
//
// plotly.js (the partial bundle named by this script's data-plotly) is fetched and run only
// when a chart is about to scroll into view, and each chart is drawn in a task of its own: a
// page's first screen is usable at once, even on a slow phone, instead of waiting for a large
// script to run and for every chart below it to be drawn. Each chart's numbers and its
// description are in the page without any script.
//
// The figure is the desktop one; this file adapts it to where it is shown, so that it fits its
// box at every width: on a phone the wide charts (the network, the money flows) turn a quarter
// (columns become rows, flows run downwards) instead of scrolling sideways, in dark mode the
// colours follow the page's, and a printout carries every chart's table (the graph's amounts).
(function () {
  "use strict";

  var NARROW_PX = 560; // below this a left-to-right network or flow has no room for its columns
  // How far ahead of the screen a chart is drawn (a share of the viewport's height): about as
  // far as a reader scrolls in the time plotly.js takes to run and draw it. The file itself is
  // fetched earlier, at the reader's first scroll (fetchPlotlyEarly).
  var AHEAD = "25% 0px";
  var PLOTLY_SRC = document.currentScript && document.currentScript.dataset.plotly;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function cssColour(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // A name broken at its spaces into lines of about `width` characters, for narrow rows. An
  // Arabic line starts with a right-to-left mark (deals/charts/common.py): so does each new one.
  function wrap(text, width) {
    // Names that carry plotly markup (a link to a site's page) are left whole.
    if (!text || text.length <= width || text.indexOf("<") !== -1) return text;
    var mark = text.charAt(0) === "\u200f" ? "\u200f" : "";
    var lines = [""];
    text.split(" ").forEach(function (word) {
      var line = lines[lines.length - 1];
      if (line && (line + " " + word).length > width) lines.push(word);
      else lines[lines.length - 1] = line ? line + " " + word : word;
    });
    return lines.join("<br>" + mark);
  }

  // The network turned a quarter: its columns (investors, labs, clouds, chipmakers) become
  // rows from top to bottom, money flowing downwards, each row as wide as the phone.
  function verticalNetwork(data, layout, width) {
    var rows = {};
    data.forEach(function (trace) {
      if (trace.type && trace.type !== "scatter") return;
      var x = trace.x || [], y = trace.y || [];
      trace.x = y.slice();
      trace.y = x.map(function (value) { return -value; });
      if (trace.mode === "markers+text") {
        trace.y.forEach(function (row) { rows[row] = (rows[row] || 0) + 1; });
      }
    });
    data.forEach(function (trace) {
      if (trace.mode !== "markers+text" || !trace.text) return;
      // Side by side in a row, names alternate above and below their circles and wrap.
      var seen = {};
      trace.textposition = trace.y.map(function (row) {
        seen[row] = (seen[row] || 0) + 1;
        return seen[row] % 2 ? "bottom center" : "top center";
      });
      trace.text = trace.text.map(function (name, index) {
        var perRow = rows[trace.y[index]] || 1;
        return wrap(name, Math.max(8, Math.floor(width / perRow / 7)));
      });
      trace.textfont = Object.assign({}, trace.textfont, { size: 11 });
      if (trace.marker && Array.isArray(trace.marker.size)) {
        trace.marker.size = trace.marker.size.map(function (size) { return Math.max(10, size * 0.7); });
      }
    });
    (layout.annotations || []).forEach(function (note) {
      if (note.xref !== "x") return;
      var x = note.x, ax = note.ax;
      note.x = note.y; note.y = -x;
      note.ax = note.ay; note.ay = -ax;
    });
    // Investors on top in both languages (the Arabic desktop graph runs right to left); in a
    // row the largest company comes first in the reading direction.
    var xRange = (layout.xaxis || {}).range, yRange = (layout.yaxis || {}).range;
    var rtl = document.documentElement.dir === "rtl";
    var across = yRange ? [Math.min.apply(null, yRange) - 0.4, Math.max.apply(null, yRange) + 0.4] : undefined;
    layout.xaxis = Object.assign({}, layout.xaxis, {
      range: across && !rtl ? across.slice().reverse() : across,
    });
    layout.yaxis = Object.assign({}, layout.yaxis, {
      range: xRange ? [-Math.max.apply(null, xRange), -Math.min.apply(null, xRange)] : undefined,
    });
    var columns = Object.keys(rows).length || 1;
    var legend = (layout.margin || {}).b || 0;
    layout.height = (layout.margin || {}).t + 170 * columns + legend;
  }

  // The flows run top to bottom, in as many rows as the desktop has columns; the notes wrap to
  // the phone's width.
  function verticalSankey(data, layout, width) {
    var stages = 1;
    data.forEach(function (trace) {
      if (trace.type !== "sankey") return;
      trace.orientation = "v";
      // The server's node positions are for columns, and plotly misreads them in a vertical
      // Sankey: it places the nodes itself, by each one's depth in the flow.
      trace.node = Object.assign({}, trace.node);
      delete trace.node.x;
      delete trace.node.y;
      trace.textfont = Object.assign({}, trace.textfont, { size: 11 });
    });
    // The stage names head the desktop's columns; placed by depth, a stage's nodes may sit in
    // different rows, so the names would mislabel them: the nodes' own names remain.
    var heads = (layout.annotations || []).filter(function (note) { return note.y > 1; });
    var notes = (layout.annotations || []).filter(function (note) { return note.y <= 0; });
    layout.annotations = notes;
    stages = Math.max(2, heads.length);
    layout.height = 130 * stages + 60;
    var shift = 18;
    notes.forEach(function (note) {
      note.text = wrap(note.text, Math.floor(width / 7));
      note.yshift = -shift;
      shift += 18 * note.text.split("<br>").length + 4;
    });
    // Room at the sides for the names of the nodes at either edge.
    layout.margin = Object.assign({}, layout.margin, { t: 10, b: shift + 4, l: 40, r: 40 });
    layout.height += shift;
  }

  var TYPED = {
    i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array, i4: Int32Array,
    u4: Uint32Array, f4: Float32Array, f8: Float64Array,
  };

  // A grid as rows of plain numbers: plotly's JSON writes number arrays as typed binary
  // ({dtype, bdata, shape}).
  function gridRows(value) {
    if (!value || Array.isArray(value)) return value;
    var bytes = Uint8Array.from(atob(value.bdata), function (c) { return c.charCodeAt(0); });
    var flat = Array.from(new TYPED[value.dtype](bytes.buffer));
    var shape = String(value.shape || flat.length).split(",").map(Number);
    var columns = shape[1] || flat.length, rows = [];
    for (var start = 0; start < flat.length; start += columns) rows.push(flat.slice(start, start + columns));
    return rows;
  }

  function transpose(rows) {
    return (rows[0] || []).map(function (_cell, column) {
      return rows.map(function (row) { return row[column]; });
    });
  }

  // A grid wider than it is tall is turned on its side on a phone (clouds as rows, buyers as
  // columns), so each cell has room for its amount at a legible size and no name is slanted.
  function uprightHeatmap(data, layout) {
    var grid = data[0];
    var rtl = document.documentElement.dir === "rtl";
    var x = grid.x;
    grid.x = grid.y;
    grid.y = x;
    ["z", "text", "customdata"].forEach(function (key) {
      if (grid[key]) grid[key] = transpose(gridRows(grid[key]));
    });
    (layout.shapes || []).forEach(function (shape) {
      var x0 = shape.x0, x1 = shape.x1;
      shape.x0 = shape.y0; shape.x1 = shape.y1;
      shape.y0 = x0; shape.y1 = x1;
    });
    // The caption names what rows and columns are; axis titles would sit on the names.
    var xaxis = layout.xaxis || {}, yaxis = layout.yaxis || {};
    layout.xaxis = Object.assign({}, xaxis, { title: { text: "" }, autorange: yaxis.autorange === "reversed" ? false : xaxis.autorange });
    layout.yaxis = Object.assign({}, yaxis, { title: { text: "" }, autorange: "reversed" });
    if (rtl) layout.xaxis.autorange = "reversed";
    var longest = Math.max.apply(null, grid.y.map(function (name) { return String(name).length; }));
    var side = Math.min(160, 20 + Math.round(6.5 * longest));
    layout.margin = Object.assign({}, layout.margin, rtl ? { r: side, l: 10, b: 40 } : { l: side, r: 10, b: 40 });
    layout.height = 110 + 48 * grid.y.length;
  }

  function fitNarrow(element, data, layout) {
    var width = element.clientWidth;
    var heatmap = data.length && data[0].type === "heatmap";
    if (heatmap && (data[0].x || []).length > (data[0].y || []).length) element.dataset.adapts = "true";
    if (element.classList.contains("chart-wide")) element.dataset.adapts = "true";
    if (heatmap && width > 0 && width < NARROW_PX && element.dataset.adapts) {
      element.dataset.narrow = "true";
      uprightHeatmap(data, layout);
      return;
    }
    var narrow = element.classList.contains("chart-wide") && width > 0 && width < NARROW_PX;
    element.dataset.narrow = narrow ? "true" : "false";
    if (!narrow) return;
    if (data.some(function (trace) { return trace.type === "sankey"; })) {
      verticalSankey(data, layout, width);
    } else {
      verticalNetwork(data, layout, width);
    }
    layout.legend = Object.assign({}, layout.legend, { font: { size: 11 } });
  }

  // Dark mode: the page's own colours (static/css/app.css) for the paper, ink and lines.
  function fitColours(layout) {
    if (!dark || !dark.matches) return;
    var paper = cssColour("--paper", "#161b22"), ink = cssColour("--ink", "#e6edf3");
    var line = cssColour("--line", "#30363d");
    layout.paper_bgcolor = paper;
    layout.plot_bgcolor = paper;
    layout.font = Object.assign({}, layout.font, { color: ink });
    layout.legend = Object.assign({}, layout.legend, { bgcolor: "rgba(0,0,0,0)" });
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        layout[key] = Object.assign({}, layout[key], { gridcolor: line, linecolor: line, zerolinecolor: line });
      }
    });
    (layout.annotations || []).forEach(function (note) {
      if (note.font && note.font.color) note.font.color = cssColour("--muted", note.font.color);
    });
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // The upright Sankey writes each name along its node, and a small node's name would run over
  // its neighbours: the larger nodes keep their names, and a name that would lie on another
  // node, on a name already kept or past the chart's edge is left out. Every node still says
  // its name and amount when tapped, and the table lists every flow.
  function unclutterSankey(element) {
    var bounds = element.getBoundingClientRect();
    var nodes = Array.prototype.map.call(element.querySelectorAll(".sankey-node"), function (node) {
      var datum = node.__data__ || {};
      return {
        label: node.querySelector(".node-label"),
        rect: node.querySelector(".node-rect").getBoundingClientRect(),
        value: (datum.node || {}).value || 0,
      };
    });
    nodes.forEach(function (node) { if (node.label) node.label.removeAttribute("display"); });
    var kept = [];
    nodes.slice().sort(function (a, b) { return b.value - a.value; }).forEach(function (node) {
      if (!node.label) return;
      var box = node.label.getBoundingClientRect();
      if (!box.width) return;
      var clash = box.left < bounds.left || box.right > bounds.right
        || kept.some(function (other) { return overlaps(box, other); })
        || nodes.some(function (other) { return other !== node && overlaps(box, other.rect); });
      if (clash) node.label.setAttribute("display", "none");
      else kept.push(box);
    });
  }

  // Words written past the end of a horizontal bar ("+ 1 undisclosed", "not stated") can run
  // beyond the chart on a narrow screen, in either direction: an axis whose bars carry such
  // words is lengthened until they fit. The words keep their size; the bars get shorter.
  function fitBarWords(element) {
    var bounds = element.getBoundingClientRect();
    var svg = element.querySelector(".main-svg");
    if (!svg || !element._fullLayout) return;
    var svgLeft = svg.getBoundingClientRect().left;
    var update = {};
    element.querySelectorAll(".cartesianlayer .subplot").forEach(function (subplot) {
      var ids = /(?:^| )(x\d*)(y\d*)(?: |$)/.exec(subplot.getAttribute("class"));
      var name = ids && "xaxis" + ids[1].slice(1);
      var axis = name && element._fullLayout[name];
      if (!axis || !axis.range) return;
      var reversed = axis.range[0] > axis.range[1];
      // Distances from the axis's zero (one end of the plot) to the chart's far edge.
      var zero = svgLeft + axis._offset + (reversed ? axis._length : 0);
      var room = reversed ? zero - bounds.left - 2 : bounds.right - 2 - zero;
      var scale = 1;
      subplot.querySelectorAll(".point").forEach(function (point) {
        var words = point.querySelector(".bartext"), bar = point.querySelector("path");
        if (!words || !bar) return;
        var box = words.getBoundingClientRect(), barBox = bar.getBoundingClientRect();
        var end = reversed ? zero - barBox.left : barBox.right - zero;
        var far = reversed ? zero - box.left : box.right - zero;
        if (far <= room || end < 1 || far - end >= room) return;
        scale = Math.min(scale, (room - (far - end)) / end);
      });
      if (scale >= 1) return;
      var longest = Math.max(Math.abs(axis.range[0]), Math.abs(axis.range[1])) / scale;
      update[name + ".range"] = reversed ? [longest, 0] : [0, longest];
      update[name + ".autorange"] = false;
    });
    if (Object.keys(update).length) Plotly.relayout(element, update);
  }

  var SANKEY_SETTLES_MS = 550; // plotly moves a Sankey's nodes into place over 500 ms

  function adjust(element) {
    var width = String(element.clientWidth); // a new width (plotly's redraw on resize): anew
    if (element.dataset.adjustedWidth !== width) {
      element.dataset.adjustedWidth = width;
      element.dataset.adjustRounds = "0";
    }
    var rounds = Number(element.dataset.adjustRounds || 0);
    if (rounds >= 3) return;
    element.dataset.adjustRounds = String(rounds + 1);
    if (element.data.some(function (trace) { return trace.type === "bar" && trace.orientation === "h"; })) {
      fitBarWords(element);
    }
    if (element.dataset.narrow === "true" && element.data.some(function (trace) { return trace.type === "sankey"; })) {
      setTimeout(function () { unclutterSankey(element); }, SANKEY_SETTLES_MS);
    }
  }

  // After every drawing of a chart (plotly's own redraws on resize included), at most a few
  // rounds of adjustment per figure and width: a lengthened axis can move words from inside a
  // bar to outside it.
  function adjustAfterEveryDrawing(element) {
    adjust(element);
    if (element.dataset.adjusts) return;
    element.dataset.adjusts = "true";
    element.on("plotly_afterplot", function () { adjust(element); });
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.plotlyFigure);
    if (!source) return;
    var figure = JSON.parse(source.textContent);
    var config = Object.assign(
      { responsive: true, displaylogo: false, locale: document.documentElement.lang },
      figure.config || {}
    );
    var data = copy(figure.data || []);
    var layout = copy(figure.layout || {});
    // The page already shows the title as the figure's caption: don't print it twice.
    var figureElement = element.closest("figure");
    if (figureElement && figureElement.querySelector("figcaption")) {
      layout.title = { text: "" };
      layout.margin = Object.assign({}, layout.margin, { t: Math.min((layout.margin || {}).t || 30, 30) });
    }
    fitNarrow(element, data, layout);
    fitColours(layout);
    element.style.setProperty("--chart-height", (layout.height || 320) + "px");
    element.dataset.adjustRounds = "0";
    Plotly.react(element, data, layout, config).then(function () {
      adjustAfterEveryDrawing(element);
    });
    element.dataset.drawn = "true";
  }

  // plotly.js, fetched once, the first time a chart is wanted.
  var plotlyReady = null;
  function withPlotly(then) {
    if (typeof Plotly !== "undefined") {
      then();
      return;
    }
    if (!plotlyReady) {
      plotlyReady = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = PLOTLY_SRC;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    plotlyReady.then(then);
  }

  // At the first scroll the file is fetched into the browser's cache, not run: it has usually
  // arrived by the time a chart comes near. (Fetched while the page loads, it would compete
  // with what the first screen needs.)
  function fetchPlotlyEarly() {
    if (!plotlyReady && typeof fetch === "function") {
      fetch(PLOTLY_SRC, { priority: "low" }).catch(function () {});
    }
  }

  // Charts waiting to be drawn, in the order they came into view; one per task, so that the
  // page answers a tap between two drawings.
  var waiting = [];
  var drawing = false;
  function drawNext() {
    var element = waiting.shift();
    if (element && element.isConnected) draw(element);
    if (waiting.length) setTimeout(drawNext, 0);
    else drawing = false;
  }

  function want(element) {
    if (waiting.indexOf(element) === -1) waiting.push(element);
    withPlotly(function () {
      if (drawing) return;
      drawing = true;
      setTimeout(drawNext, 0);
    });
  }

  var nearScreen = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      nearScreen.unobserve(entry.target);
      want(entry.target);
    });
  }, { rootMargin: AHEAD }) : null;

  function drawCharts(root) {
    root.querySelectorAll("[data-plotly-figure]").forEach(function (element) {
      if (nearScreen) nearScreen.observe(element);
      else want(element);
    });
  }

  // Charts already drawn, drawn again (a change of colour scheme).
  function redrawDrawn() {
    document.querySelectorAll("[data-plotly-figure][data-drawn]").forEach(draw);
  }

  // A wide chart is drawn again when its box crosses the phone threshold (a phone turned,
  // a window resized); plotly's own `responsive` handles every other change of width.
  function redrawWhereModeChanged() {
    document.querySelectorAll("[data-plotly-figure][data-adapts]").forEach(function (element) {
      var narrow = element.clientWidth > 0 && element.clientWidth < NARROW_PX;
      if ((element.dataset.narrow === "true") !== narrow) draw(element);
    });
  }

  // A printout holds every chart's numbers (the graph's arrows carry their amounts only on
  // hover): the tables are opened for printing and closed again after. Charts not reached yet
  // are drawn too, if plotly.js has arrived by then.
  function openTablesForPrint() {
    if (typeof Plotly !== "undefined") {
      document.querySelectorAll("[data-plotly-figure]:not([data-drawn])").forEach(draw);
    }
    document.querySelectorAll("details.chart-table:not([open])").forEach(function (details) {
      details.open = true;
      details.dataset.openedForPrint = "true";
    });
  }

  function closeTablesAfterPrint() {
    document.querySelectorAll("details[data-opened-for-print]").forEach(function (details) {
      details.open = false;
      delete details.dataset.openedForPrint;
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
    if (document.querySelector("[data-plotly-figure]")) {
      window.addEventListener("scroll", fetchPlotlyEarly, { once: true, passive: true });
    }
    document.body.addEventListener("htmx:afterSettle", function (event) {
      drawCharts(event.detail.elt || document);
    });
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(redrawWhereModeChanged, 150);
    });
    if (dark && dark.addEventListener) {
      dark.addEventListener("change", redrawDrawn);
    }
    window.addEventListener("beforeprint", openTablesForPrint);
    window.addEventListener("afterprint", closeTablesAfterPrint);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
