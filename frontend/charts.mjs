// Interactive charts, loaded only when a reader asks for them. The server draws every chart
// as SVG, with a table of the same figures under it, so a measure page is complete without
// this file. Under each chart the page has an "Explore ..." button (shown only where GOV.UK
// Frontend's scripts run: the body's govuk-frontend-supported class). Pressing it, or first
// pointing at the chart, loads the interactive chart code (chart-engine.mjs: Vega, about
// 860 KB, fetched once) and redraws that chart with its values on hover. Nothing else here
// loads it, so a reader who only reads the page never downloads it.
let engine;
const loadEngine = () => (engine ??= import("./chart-engine.mjs"));

for (const button of document.querySelectorAll("button[data-chart-explore]")) {
  const figure = document.querySelector(`figure[data-chart-spec="${button.dataset.chartExplore}"]`);
  if (!figure) continue;
  const label = button.textContent;
  let asked = false;

  const explore = async () => {
    if (asked) return;
    asked = true;
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Loading the interactive chart";
    try {
      const { enhance } = await loadEngine();
      await enhance(figure);
    } catch {
      engine = undefined; // a failed download can be tried again
      asked = false;
      button.removeAttribute("aria-disabled");
      button.textContent = label;
      return;
    }
    // The button has done its work: say how to use the chart instead, where the button was,
    // and keep keyboard focus there if it was on the button.
    const hint = document.createElement("p");
    hint.className = "govuk-body-s app-chart__hint";
    hint.tabIndex = -1;
    hint.textContent = "Point at the chart to see each figure and its 95% interval. The table below gives the same figures.";
    const focused = document.activeElement === button;
    button.replaceWith(hint);
    if (focused) hint.focus();
  };

  button.addEventListener("click", explore);
  figure.addEventListener("pointerenter", explore, { once: true });
}
