// Progressive enhancement only: every page works without this file.
// Kept in a static file (not inline) so the Content Security Policy can forbid inline script.
// Listeners hang on `document`: HTMX's history restore replaces the body's elements.
"use strict";

const PHONE = window.matchMedia("(max-width: 47.99rem)");

// The evidence of a cell opens in a dialog over the matrix, so the reader keeps their place;
// focus goes to the evidence and, when it closes (Escape, Close, the backdrop), back to the cell.
let cellOpener = null;

document.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.target && event.detail.target.id === "cell-panel") {
    cellOpener = event.detail.elt;
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target.id !== "cell-panel") return;
  const dialog = document.getElementById("cell-dialog");
  if (dialog && !dialog.open) dialog.showModal();
  const heading = target.querySelector(".cell-heading");
  if (heading) heading.focus({ preventScroll: true });
});

// `close` does not bubble: listen while it goes down.
document.addEventListener(
  "close",
  (event) => {
    if (event.target.id === "cell-dialog" && cellOpener && cellOpener.isConnected) {
      cellOpener.focus({ preventScroll: true });
    }
  },
  true,
);

document.addEventListener("click", (event) => {
  const closer = event.target.closest("[data-close-dialog]");
  if (closer) closer.closest("dialog").close();
  // A click on the backdrop lands on the dialog itself, outside its content.
  else if (event.target.id === "cell-dialog") event.target.close();
});

// The filters.

function filterForm() {
  return document.getElementById("filters");
}

// The filters that take rows away (pledges.views.FILTERS_THAT_NARROW), counted in the panel's
// summary, which stays readable when the panel is folded.
const NARROWING = ["nation", "bloc", "type", "stance", "formality", "formality_min", "freshness", "q"];

// What each long list has ticked, beside its legend ("2 chosen"), and how many filters are in
// use, beside "Filters".
function showPicked() {
  const form = filterForm();
  if (!form) return;
  for (const label of form.querySelectorAll("[data-picked]")) {
    const ticked = form.querySelectorAll(`input[name="${label.dataset.picked}"]:checked`).length;
    label.textContent = ticked ? `· ${ticked} chosen` : "";
  }
  const data = new FormData(form);
  const inUse = NARROWING.filter((name) => data.getAll(name).some((value) => value !== "")).length;
  const summary = document.querySelector("#filter-panel .active-count");
  if (summary) summary.textContent = inUse ? `· ${inUse} in use` : "";
}

// After HTMX swaps the matrix alone, its data-facets hold the counts for the filters' choices.
function showCounts() {
  const form = filterForm();
  const matrix = document.getElementById("matrix");
  if (!form || !matrix || !matrix.dataset.facets) return;
  const counts = JSON.parse(matrix.dataset.facets);
  for (const count of form.querySelectorAll(".facet-count")) {
    const n = (counts[count.dataset.facet] || {})[count.dataset.value] || 0;
    count.textContent = `(${n})`;
  }
}

// Back and Forward restore the page's HTML, not what was ticked or typed: set the form from
// the address, so that it always says what the matrix shows.
function syncFormWithAddress() {
  const form = filterForm();
  if (!form) return;
  const params = new URLSearchParams(window.location.search);
  for (const field of form.elements) {
    if (!field.name) continue;
    let values = params.getAll(field.name);
    if (field.name === "nation") values = values.map((code) => code.toUpperCase());
    if (field.type === "checkbox" || field.type === "radio") {
      field.checked = values.includes(field.value);
    } else if (field.tagName === "SELECT") {
      for (const option of field.options) {
        option.selected = field.multiple
          ? values.includes(option.value)
          : option.value === (values[0] ?? "");
      }
    } else if (field.type !== "submit") {
      field.value = values[0] ?? "";
    }
  }
  showPicked();
}

// Empty fields stay out of the address: "?stance=open", not "?q=&as_of=&stance=open".
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt.id !== "filters") return;
  const params = event.detail.parameters;
  const empty = Array.from(params.entries()).filter(([, value]) => value === "");
  for (const [name] of empty) params.delete(name);
});

// Typing in "Find a nation" narrows the list shown; it is not a filter of the matrix itself.
document.addEventListener("input", (event) => {
  const box = event.target.closest(".choice-search");
  if (!box) return;
  const words = box.value.trim().toLowerCase();
  for (const label of document.getElementById(box.dataset.choices).querySelectorAll("label")) {
    const code = (label.dataset.code || "").toLowerCase();
    label.hidden = words !== "" && code !== words && !label.textContent.toLowerCase().includes(words);
  }
});

document.addEventListener(
  "change",
  (event) => {
    if (event.target.closest(".choice-search")) event.stopPropagation();
  },
  true,
);

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.closest(".choice-search")) event.preventDefault();
});

document.addEventListener("change", (event) => {
  if (event.target.closest("#filters")) showPicked();
});

function enhanceFilters() {
  for (const hidden of document.querySelectorAll(".choice-search, .choice-search-label")) {
    hidden.hidden = false;
  }
  showPicked();
}

document.addEventListener("htmx:afterSettle", showCounts);
document.addEventListener("htmx:historyRestore", () => {
  syncFormWithAddress();
  showCounts();
});

document.addEventListener("DOMContentLoaded", () => {
  enhanceFilters();
  // On a phone the filters are folded, so the matrix comes first; the summary says how many
  // are in use.
  const panel = document.getElementById("filter-panel");
  if (panel && PHONE.matches) panel.open = false;
});
