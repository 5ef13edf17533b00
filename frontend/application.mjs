// Progressive enhancement only: every page works without this file.
// GOV.UK Frontend is loaded from the URL the page gives it (hashed by collectstatic).
const frontend = document.querySelector("script[data-govuk-frontend]");
if (frontend && document.body.classList.contains("govuk-frontend-supported")) {
  import(frontend.src).then(({ initAll }) => initAll());
}

// A background job's status page (an import, an analysis run): follow its progress while it
// runs, then show the result.
const status = document.querySelector("[data-import-status]");
if (status) {
  const poll = async () => {
    const response = await fetch(status.dataset.importStatus, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    if (data.finished) {
      window.location.reload();
      return;
    }
    const progress = status.querySelector("progress");
    const label = status.querySelector("label");
    if (progress) progress.value = data.progress;
    if (label) label.textContent = data.stage || label.textContent;
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
}
