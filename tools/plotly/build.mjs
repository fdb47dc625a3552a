// Builds static/vendor/plotly/plotly-dealwatch.min.js from the pinned packages of
// package-lock.json, with the options plotly.js itself builds with (its esbuild-config.js),
// minus the WebGL and map plugins that none of our traces needs. Run through `make plotly`.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "..", "static", "vendor", "plotly");
const plotlyDir = join(here, "node_modules", "plotly.js");
const { version } = JSON.parse(readFileSync(join(plotlyDir, "package.json"), "utf8"));

mkdirSync(vendor, { recursive: true });
await build({
  entryPoints: [join(here, "index.js")],
  outfile: join(vendor, "plotly-dealwatch.min.js"),
  format: "iife",
  globalName: "Plotly",
  bundle: true,
  minify: true,
  legalComments: "none",
  banner: {
    js: `/* plotly.js v${version} (partial: scatter, bar, heatmap, sankey, scattergeo; ar locale), ` +
      "Copyright 2012-2026 Plotly, Inc., MIT licence: LICENSE-plotly.js.txt */",
  },
  // The map traces' stylesheet is required by plotly's registry; no map trace is bundled.
  loader: { ".css": "empty" },
  alias: { regl: "@plotly/regl", stream: "stream-browserify" },
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  target: "es2016",
  logLevel: "info",
});
copyFileSync(join(plotlyDir, "LICENSE"), join(vendor, "LICENSE-plotly.js.txt"));
