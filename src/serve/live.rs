//! The live-reload side of `serve`: the script injected into served HTML pages and the
//! messages it understands (`reload`, `css`, `error <json>`, `ok`).

use crate::build::Update;

const SCRIPT: &str = r#"<script data-tessera-live>
(function () {
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "tessera-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);color:#fff;padding:2rem;overflow:auto;font:14px/1.5 monospace;white-space:pre-wrap;direction:ltr;text-align:left";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "tessera: the last edit broke the build; showing the last good version.\n\n" + text;
  }
  function hideError() { if (overlay) { overlay.remove(); overlay = null; } }
  function swapStyles() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("tessera", Date.now());
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.onload = function () { link.remove(); };
      link.after(fresh);
    });
  }
  var source = new EventSource("/__tessera/events");
  source.onmessage = function (event) {
    var data = event.data;
    if (data === "reload") { location.reload(); }
    else if (data === "css") { hideError(); swapStyles(); }
    else if (data === "ok") { hideError(); }
    else if (data.indexOf("error ") === 0) { showError(JSON.parse(data.slice(6))); }
  };
})();
</script>"#;

/// Adds the live-reload script to an HTML page.
pub fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let marker = b"</body>";
    match html.windows(marker.len()).rposition(|w| w.eq_ignore_ascii_case(marker)) {
        Some(at) => {
            html.splice(at..at, SCRIPT.bytes());
        }
        None => html.extend_from_slice(SCRIPT.as_bytes()),
    }
    html
}

/// The message for a successful update.
pub fn update_event(update: &Update, had_error: bool) -> String {
    if update.css_only() {
        "css".into()
    } else if update.changed.is_empty() && update.removed.is_empty() {
        if had_error { "reload".into() } else { "ok".into() }
    } else {
        "reload".into()
    }
}

/// The message for a failed update.
pub fn error_event(text: &str) -> String {
    format!("error {}", serde_json::Value::String(text.to_string()))
}
