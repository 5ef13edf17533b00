// Compile the project's Sass (with GOV.UK Frontend), copy its scripts and bundle the charts'
// script into var/frontend, where Django's staticfiles picks them up.
import { mkdirSync, copyFileSync, writeFileSync } from "node:fs";
import * as sass from "sass";
import { buildSync } from "esbuild";

const out = "var/frontend";
mkdirSync(out, { recursive: true });
for (const name of ["application", "print"]) {
  const result = sass.compile(`frontend/${name}.scss`, {
    style: "compressed",
    quietDeps: true,
    silenceDeprecations: ["import"],
    importers: [new sass.NodePackageImporter()],
  });
  writeFileSync(`${out}/${name}.css`, result.css);
}
copyFileSync("frontend/application.mjs", `${out}/application.mjs`);
// The charts' scripts: charts.mjs, small and loaded by measure pages, and chart-engine.mjs
// (Vega and its interpreter, about 860 KB), which charts.mjs imports with import() only when
// a reader asks to explore a chart. Splitting keeps them two files (without it esbuild would
// inline the dynamic import into charts.mjs); collectstatic rewrites the import to the
// engine's hashed name (core/staticfiles.py).
buildSync({
  entryPoints: ["frontend/charts.mjs", "frontend/chart-engine.mjs"],
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "linked",
  outdir: out,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chart-shared-[hash]",
  logLevel: "warning",
});
copyFileSync("frontend/favicon.svg", `${out}/favicon.svg`);
console.log(`front-end assets written to ${out}/`);
