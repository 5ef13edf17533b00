// Compile the project's Sass (with GOV.UK Frontend) and copy its scripts into var/frontend,
// where Django's staticfiles picks them up.
import { mkdirSync, copyFileSync, writeFileSync } from "node:fs";
import * as sass from "sass";

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
copyFileSync("frontend/favicon.svg", `${out}/favicon.svg`);
console.log(`front-end assets written to ${out}/`);
