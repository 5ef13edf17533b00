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
// Vega and its interpreter in one module, loaded only by pages with interactive charts.
buildSync({
  entryPoints: ["frontend/charts.mjs"],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "linked",
  outfile: `${out}/charts.mjs`,
  logLevel: "warning",
});
copyFileSync("frontend/favicon.svg", `${out}/favicon.svg`);
console.log(`front-end assets written to ${out}/`);
