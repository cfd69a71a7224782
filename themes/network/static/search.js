// Starts Pagefind's search UI on the search page; the bundle path and the placeholder text come
// from data attributes the template fills in, so this file needs no per-language copy.
// Pagefind UI texts from the page's data attributes (`data-zero_results` -> `zero_results`).
function texts(data) {
  var out = {};
  ["placeholder", "clear_search", "load_more", "zero_results", "one_result", "many_results", "searching", "results_label"]
    .forEach(function (key) { if (data[key]) out[key] = data[key]; });
  return out;
}

window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: el.dataset.bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: texts(el.dataset),
  });
  // `?q=` searches at once: the home page's WebSite SearchAction points here.
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
  // The page's visible label (#search-label) names the input the UI creates; a <label for>
  // would point at nothing until the script runs.
  var label = function () {
    var input = el.querySelector("input[type=text], input[type=search]");
    if (input) input.setAttribute("aria-labelledby", "search-label");
    return !!input;
  };
  if (!label()) {
    new MutationObserver(function (_, observer) { if (label()) observer.disconnect(); })
      .observe(el, { childList: true, subtree: true });
  }
});
