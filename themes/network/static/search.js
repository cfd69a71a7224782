// Starts Pagefind's search UI on the search page; the bundle path and the placeholder text come
// from data attributes the template fills in, so this file needs no per-language copy.
// Pagefind UI texts from the page's data attributes (`data-zero_results` -> `zero_results`).
function texts(data) {
  var out = {};
  ["placeholder", "clear_search", "load_more", "zero_results", "one_result", "many_results", "searching", "results_label"]
    .forEach(function (key) { if (data[key]) out[key] = data[key]; });
  return out;
}

// The folders of the other parts of this page's language's index: tessera indexes a large
// language in parts and lists them in `tessera-parts.json`; Pagefind searches them together.
function otherParts(bundle) {
  var lang = (document.documentElement.lang || "unknown").toLowerCase();
  return fetch(bundle + "tessera-parts.json")
    .then(function (r) { return r.ok ? r.json() : {}; })
    .catch(function () { return {}; })
    .then(function (parts) {
      var folders = parts[lang] || parts[lang.split("-")[0]] || [];
      return folders.map(function (folder) { return { bundlePath: bundle + folder }; });
    });
}

window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  otherParts(el.dataset.bundle).then(function (parts) { start(el, parts); });
});

function start(el, parts) {
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: el.dataset.bundle,
    mergeIndex: parts,
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
}
