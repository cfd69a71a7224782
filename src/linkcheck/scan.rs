//! One HTML page read for the link check: its element ids and the links it writes, resolved
//! against the page's URL.

use super::Link;
use lol_html::html_content::Element;
use lol_html::{ElementContentHandlers, HandlerResult, HtmlRewriter, Selector, Settings};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

/// What one page holds.
#[derive(Debug, Default)]
pub struct Scan {
    pub ids: HashSet<String>,
    pub links: Vec<Link>,
}

/// Elements whose `href`, `src`, `srcset` or `poster` a reader's browser follows; parsed once.
static LINKING: LazyLock<Selector> = LazyLock::new(|| {
    "a[href], area[href], link[href], img, script[src], source, iframe[src], audio[src], video, track[src], embed[src]"
        .parse()
        .expect("a valid selector")
});
/// Elements a `#fragment` can point to.
static IDS: LazyLock<Selector> = LazyLock::new(|| "[id], a[name]".parse().expect("a valid selector"));

/// An element handler on a selector parsed once for all pages.
fn handler<'s, 'h>(
    selector: &'s Selector,
    f: impl FnMut(&mut Element<'_, '_>) -> HandlerResult + 'h,
) -> (Cow<'s, Selector>, ElementContentHandlers<'h>) {
    (Cow::Borrowed(selector), ElementContentHandlers::default().element(f))
}

/// Reads `html` (the page served at URL path `page_url`; `origin` is the site's
/// `scheme://host`, links to which are internal).
pub fn scan(html: &[u8], page_url: &str, origin: &str) -> Scan {
    let found = RefCell::new(Scan::default());
    let written = RefCell::new(Vec::<String>::new());
    let ids = handler(&IDS, |el| {
        let mut found = found.borrow_mut();
        found.ids.extend(el.get_attribute("id").map(|v| decode(&v)));
        if el.tag_name() == "a" {
            found.ids.extend(el.get_attribute("name").map(|v| decode(&v)));
        }
        Ok(())
    });
    let links = handler(&LINKING, |el| {
        // Hints to other hosts (`preconnect`, `dns-prefetch`) are not links to follow.
        if el.get_attribute("rel").is_some_and(|r| r.contains("preconnect") || r.contains("dns-prefetch")) {
            return Ok(());
        }
        let mut written = written.borrow_mut();
        for attribute in ["href", "src", "poster"] {
            written.extend(el.get_attribute(attribute).map(|v| decode(&v)));
        }
        if let Some(v) = el.get_attribute("srcset") {
            written.extend(decode(&v).split(',').filter_map(|c| c.split_whitespace().next()).map(str::to_string));
        }
        Ok(())
    });
    {
        let settings = Settings::new().append_element_content_handler(ids).append_element_content_handler(links);
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // The rewriter only fails on handler errors, and these handlers return none.
        if rewriter.write(html).is_ok() {
            let _ = rewriter.end();
        }
    }
    let mut scan = found.take();
    scan.links = written.take().into_iter().filter_map(|w| resolve(&w, page_url, origin)).collect();
    scan
}

fn decode(value: &str) -> String {
    html_escape::decode_html_entities(value).into_owned()
}

/// The link as an output path and fragment; `None` for nothing to check (an empty link,
/// `mailto:`, `javascript:`), `Some` with no target for a link to another site.
fn resolve(written: &str, page_url: &str, origin: &str) -> Option<Link> {
    let w = written.trim();
    if w.is_empty() {
        return None;
    }
    let link = |target| Some(Link { written: w.to_string(), target });
    let path_part = if let Some(rest) = w.strip_prefix(origin).filter(|r| r.is_empty() || r.starts_with(['/', '?', '#'])) {
        if rest.is_empty() { "/" } else { rest }
    } else if w.starts_with("//") {
        return link(None);
    } else if let Some(scheme) = scheme(w) {
        return if scheme == "http" || scheme == "https" { link(None) } else { None };
    } else {
        w
    };
    let (path_part, fragment) = match path_part.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (path_part, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let path = if path_part.is_empty() {
        page_url.to_string()
    } else if path_part.starts_with('/') {
        normalise(path_part)
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        normalise(&format!("{dir}{path_part}"))
    };
    link(Some((percent_decode(&path), fragment)))
}

/// The scheme of an absolute URL (`https`, `mailto`), lowercased.
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// `/a/./b/../c` -> `/a/c`, keeping a trailing slash.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {}
            ".." => {
                parts.pop();
            }
            "" if i != segments.len() - 1 => {}
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(written: &str) -> Option<(String, Option<String>)> {
        resolve(written, "/b/en/news/x/", "https://example.org").and_then(|l| l.target)
    }

    #[test]
    fn links_resolve_against_the_page() {
        assert_eq!(target("../y/"), Some(("/b/en/news/y/".into(), None)));
        assert_eq!(target("photo.jpg"), Some(("/b/en/news/x/photo.jpg".into(), None)));
        assert_eq!(target("#top"), Some(("/b/en/news/x/".into(), Some("top".into()))));
        assert_eq!(target("/b/%E0%A4%95/?q=1#a%20b"), Some(("/b/क/".into(), Some("a b".into()))));
        assert_eq!(target("https://example.org/b/ar/"), Some(("/b/ar/".into(), None)));
        assert_eq!(target("https://example.org.evil/b/"), None);
        assert_eq!(target("https://other.org/"), None);
        assert!(resolve("mailto:a@b.c", "/", "https://example.org").is_none());
    }

    #[test]
    fn scan_finds_ids_and_links() {
        let html = br#"<html><body><h2 id="a&amp;b">x</h2><a name="n"></a><a href="/x/?a=1&amp;b=2">x</a>
            <img src="i.png" srcset="i-480.png 480w, i-800.png 800w"><link rel="preconnect" href="https://cdn"></body></html>"#;
        let s = scan(html, "/", "https://example.org");
        assert!(s.ids.contains("a&b") && s.ids.contains("n"));
        let written: Vec<&str> = s.links.iter().map(|l| l.written.as_str()).collect();
        assert_eq!(written, ["/x/?a=1&b=2", "i.png", "i-480.png", "i-800.png"]);
    }
}
