// Progressive enhancement only: every page works without this file.
// Kept in a static file (not inline) so the Content Security Policy can forbid inline script.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move keyboard and screen-reader focus to the evidence a reader just opened.
  if (event.detail.target.id === "cell-panel") {
    const heading = event.detail.target.querySelector(".cell-heading");
    if (heading) heading.focus();
  }
});
