// Progressive enhancement only: every page works without this file.
// GOV.UK Frontend is loaded from the URL the page gives it (hashed by collectstatic).
const frontend = document.querySelector("script[data-govuk-frontend]");
if (frontend && document.body.classList.contains("govuk-frontend-supported")) {
  import(frontend.src).then(({ initAll }) => initAll());
}
