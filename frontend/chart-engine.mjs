// The interactive chart code (Vega, about 860 KB), loaded by charts.mjs only when a reader asks
// to explore a chart. Each chart figure names the <script type="application/json"> that holds
// its Vega-Lite spec: the same spec the server rendered to SVG. Here Vega draws it again with
// tooltips that give each figure and its interval on hover. If anything fails, the server's SVG
// stays; the table under every chart carries the same figures either way.
//
// The page's Content Security Policy allows no eval, so Vega runs its expressions through
// its interpreter (ast + vega-interpreter) and adds no styles of its own (our stylesheet has
// the tooltip's).
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

const options = {
  ast: true,
  expr: expressionInterpreter,
  actions: false,
  renderer: "svg",
  defaultStyle: false,
  tooltip: { disableDefaultStyle: true },
};

// Vega would put its tooltip at the end of <body>, outside every landmark; it uses an
// element with its id if there is one, so give it one inside <main> (the tooltip is placed on
// the screen, so where it sits in the page does not matter). Screen readers skip it: the
// table under each chart gives the same figures.
const main = document.querySelector("main");
if (main && !document.getElementById("vg-tooltip-element")) {
  const tooltip = document.createElement("div");
  tooltip.id = "vg-tooltip-element";
  tooltip.className = "vg-tooltip";
  tooltip.setAttribute("aria-hidden", "true");
  main.appendChild(tooltip);
}

// Draw one chart figure interactively in place of the server's SVG. Resolves once it is
// drawn; rejects if it cannot be (the server's SVG is then left as it was).
export async function enhance(figure) {
  const source = document.getElementById(figure.dataset.chartSpec);
  const fallback = figure.querySelector(":scope > svg");
  if (!source || !fallback) throw new Error(`no chart spec or SVG for ${figure.dataset.chartSpec}`);
  const holder = document.createElement("div");
  holder.className = "app-chart__interactive";
  holder.setAttribute("aria-hidden", "true");
  await embed(holder, JSON.parse(source.textContent), options);
  fallback.replaceWith(holder);
  figure.dataset.chartInteractive = "true";
}
