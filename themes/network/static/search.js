// Starts Pagefind's search UI on the search page; the bundle path and the placeholder text come
// from data attributes the template fills in, so this file needs no per-language copy.
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  new PagefindUI({
    element: "#search",
    bundlePath: el.dataset.bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: el.dataset.placeholder },
  });
});
