//! Reads a built site the way the outside world does: every link and fragment must land on a
//! file of the output folder, and the hreflang sets in page heads and in the sitemap must agree
//! (absolute, self-referencing, reciprocal, one `x-default`). Problems come back as lines.

use percent_encoding::percent_decode_str;
use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Elements whose `href`/`src`/`srcset` point somewhere.
const LINKING: [&str; 7] = ["a", "link", "img", "script", "source", "iframe", "area"];

/// Every link or fragment in `out/**/*.html` that does not resolve: `"<page>: <link> -> <reason>"`.
pub fn broken_links(out: &Path, base_url: &str) -> Vec<String> {
    let base = Base::new(base_url);
    let pages = html_files(out);
    let parsed: BTreeMap<String, Html> = pages.iter().map(|rel| (rel.clone(), parse(out, rel))).collect();
    let ids: HashMap<PathBuf, HashSet<String>> = parsed.iter().map(|(rel, doc)| (out.join(rel), anchors(doc))).collect();

    let mut problems = Vec::new();
    for (rel, doc) in &parsed {
        let page_path = base.page_path(rel);
        for link in links(doc) {
            let Some((path, fragment)) = base.resolve(&link, &page_path) else { continue };
            let reason = match base.file_for(out, &path) {
                Err(Missing::PagefindOff) => continue,
                Err(missing) => Some(missing.to_string()),
                Ok(file) => fragment.filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("top")).and_then(|f| {
                    let known = ids.get(&file)?; // only HTML documents have ids to check
                    (!known.contains(&f)).then(|| format!("no element with id \"{f}\" in {}", display(out, &file)))
                }),
            };
            if let Some(reason) = reason {
                problems.push(format!("{rel}: {link} -> {reason}"));
            }
        }
    }
    problems
}

/// Disagreements between the pages' `<link rel=alternate hreflang>` sets, and between those
/// sets and `sitemap.xml` (an index of per-language sitemaps, or a plain urlset).
pub fn hreflang_problems(out: &Path, base_url: &str) -> Vec<String> {
    let base = Base::new(base_url);
    let heads: BTreeMap<String, Head> = html_files(out).into_iter().map(|rel| (rel.clone(), head(&parse(out, &rel)))).collect();
    let file_of = |href: &str, page_rel: &str| -> Option<String> {
        let (path, _) = base.resolve(href, &base.page_path(page_rel))?;
        base.file_for(out, &path).ok().map(|f| display(out, &f))
    };

    let mut problems = Vec::new();
    for (rel, page) in &heads {
        if page.alternates.is_empty() {
            continue;
        }
        let own_url = normalize(&base.page_url(rel));
        let mut say = |what: String| problems.push(format!("{rel}: {what}"));
        let mut langs: BTreeMap<String, usize> = BTreeMap::new();
        for (lang, href) in &page.alternates {
            *langs.entry(lang.clone()).or_default() += 1;
            if !href.starts_with(&base.url) {
                say(format!("hreflang {lang} -> {href}: not an absolute URL under {}", base.url));
            }
        }
        for (lang, n) in &langs {
            if *n > 1 && lang != "x-default" {
                say(format!("hreflang {lang} appears {n} times"));
            }
        }
        let x_defaults = langs.get("x-default").copied().unwrap_or(0);
        if x_defaults != 1 {
            say(format!("{x_defaults} x-default entries (want exactly 1)"));
        }
        let set = page.set();
        if !set.iter().any(|(_, href)| *href == own_url) {
            match &page.canonical {
                Some(c) if normalize(c) != own_url => {
                    say(format!("canonical points to {c}, yet the page claims an hreflang set without itself"))
                }
                _ => say(format!("hreflang set does not name the page itself ({own_url})")),
            }
        }
        // Reciprocity: every page named carries exactly this set.
        let mut seen = HashSet::new();
        for (lang, href) in &page.alternates {
            let target = file_of(href, rel).filter(|f| heads.contains_key(f));
            if normalize(href) == own_url
                || target.as_deref() == Some(rel.as_str())
                || !seen.insert(target.clone().unwrap_or(normalize(href)))
            {
                continue;
            }
            match target.map(|f| &heads[&f]) {
                None => say(format!("hreflang {lang} -> {href}: no such page")),
                Some(other) if other.set() != set => say(format!(
                    "hreflang {lang} -> {href}: that page's set differs ({})",
                    diff(&set, &other.set(), "here", "there")
                )),
                Some(_) => {}
            }
        }
    }

    // The sitemap lists exactly the canonical pages with an hreflang set, with that same set.
    let mut listed: HashMap<String, String> = HashMap::new();
    for (sitemap, urls) in sitemap_urls(out, &base, &mut problems) {
        for (loc, alternates) in urls {
            if !loc.starts_with(&base.url) {
                problems.push(format!("{sitemap}: {loc} -> not an absolute URL under {}", base.url));
            }
            let Some((file, page)) = file_of(&loc, "index.html").and_then(|f| heads.get(&f).map(|h| (f, h))) else {
                problems.push(format!("{sitemap}: {loc} -> not an existing page"));
                continue;
            };
            if let Some(first) = listed.insert(file.clone(), sitemap.clone()) {
                problems.push(format!("{sitemap}: {loc} -> listed again (also in {first})"));
            }
            if page.alternates.is_empty() {
                problems.push(format!("{sitemap}: {loc} -> page {file} has no hreflang set but is listed"));
                continue;
            }
            if let Some(c) = page.canonical.as_ref().filter(|c| normalize(c) != normalize(&loc)) {
                problems.push(format!("{sitemap}: {loc} -> canonical of {file} points to {c}, yet it is listed"));
            }
            let in_sitemap: BTreeSet<(String, String)> =
                alternates.iter().map(|(l, h)| (l.to_lowercase(), normalize(h))).collect();
            if in_sitemap != page.set() {
                problems.push(format!(
                    "{sitemap}: {loc} -> alternates differ from the page's head ({})",
                    diff(&in_sitemap, &page.set(), "sitemap", "page")
                ));
            }
        }
    }
    for (rel, page) in &heads {
        let own_url = normalize(&base.page_url(rel));
        let names_itself = page.set().iter().any(|(_, href)| *href == own_url);
        let own_canonical = page.canonical.as_ref().is_none_or(|c| normalize(c) == own_url);
        if names_itself && own_canonical && !listed.contains_key(rel) {
            problems.push(format!("{rel}: has an hreflang set and is its own canonical, but is not in the sitemap"));
        }
    }
    problems
}

/// `base_url` split into what links are compared against.
struct Base {
    /// With a trailing slash: `https://example.org/network/`.
    url: String,
    /// Lowercase `scheme://host[:port]`.
    origin: String,
    scheme: String,
    /// `/` or `/network/`.
    path: String,
}

enum Missing {
    PagefindOff,
    OutsideBase(String),
    NotUtf8,
    NoFile(String),
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Missing::PagefindOff => write!(f, "search index not built"),
            Missing::OutsideBase(base) => write!(f, "outside the site's base path {base}"),
            Missing::NotUtf8 => write!(f, "path is not UTF-8 once percent-decoded"),
            Missing::NoFile(rel) => write!(f, "no such file ({rel})"),
        }
    }
}

impl Base {
    fn new(base_url: &str) -> Base {
        let url = if base_url.ends_with('/') { base_url.to_string() } else { format!("{base_url}/") };
        let (scheme, rest) = url.split_once("://").expect("base_url has a scheme");
        let slash = rest.find('/').unwrap();
        Base {
            origin: format!("{scheme}://{}", &rest[..slash]).to_lowercase(),
            scheme: scheme.to_lowercase(),
            path: rest[slash..].to_string(),
            url: url.clone(),
        }
    }

    /// Absolute URL path of an output file: `ar/news/x/index.html` -> `/ar/news/x/`.
    fn page_path(&self, rel: &str) -> String {
        let dir_url = rel.strip_suffix("index.html").filter(|d| d.is_empty() || d.ends_with('/'));
        format!("{}{}", self.path, dir_url.unwrap_or(rel))
    }

    fn page_url(&self, rel: &str) -> String {
        format!("{}{}", self.origin, self.page_path(rel))
    }

    /// The absolute path and fragment a link leads to, or `None` when it leaves the site or is
    /// not a place (`mailto:`, `tel:`, `javascript:`, `data:`, other schemes, an empty href).
    fn resolve(&self, link: &str, page_path: &str) -> Option<(String, Option<String>)> {
        let link = link.trim();
        if link.is_empty() {
            return None;
        }
        let (rest, fragment) = match link.split_once('#') {
            Some((r, f)) => (r, Some(percent_decode_str(f).decode_utf8_lossy().into_owned())),
            None => (link, None),
        };
        let rest = rest.split('?').next().unwrap();
        let scheme_end = rest.find(':').filter(|&i| {
            let s = &rest[..i];
            s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        let path = if let Some(i) = scheme_end {
            let scheme = rest[..i].to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return None;
            }
            self.same_origin(&scheme, rest[i + 1..].strip_prefix("//")?)?
        } else if let Some(net) = rest.strip_prefix("//") {
            self.same_origin(&self.scheme, net)?
        } else if rest.starts_with('/') {
            rest.to_string()
        } else if rest.is_empty() {
            page_path.to_string()
        } else {
            format!("{}{rest}", &page_path[..=page_path.rfind('/').unwrap()])
        };
        Some((remove_dot_segments(&path), fragment))
    }

    /// The path of `authority/path` when the authority is this site's.
    fn same_origin(&self, scheme: &str, net: &str) -> Option<String> {
        let (authority, path) = net.find('/').map_or((net, "/"), |i| (&net[..i], &net[i..]));
        (format!("{scheme}://{authority}").to_lowercase() == self.origin).then(|| path.to_string())
    }

    /// The output file an absolute URL path is served from.
    fn file_for(&self, out: &Path, path: &str) -> Result<PathBuf, Missing> {
        let Some(rel) = path.strip_prefix(&self.path).or_else(|| (path == self.path.trim_end_matches('/')).then_some("")) else {
            return Err(Missing::OutsideBase(self.path.clone()));
        };
        let rel = percent_decode_str(rel).decode_utf8().map_err(|_| Missing::NotUtf8)?;
        if rel.starts_with("pagefind/") && !out.join("pagefind").is_dir() {
            return Err(Missing::PagefindOff);
        }
        let file = out.join(&*rel);
        let candidates = if rel.is_empty() || rel.ends_with('/') {
            vec![file.join("index.html")]
        } else {
            vec![file.clone(), file.join("index.html")]
        };
        candidates.into_iter().find(|f| f.is_file()).ok_or_else(|| Missing::NoFile(rel.into_owned()))
    }
}

/// RFC 3986 dot-segment removal on an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *part {
            "." | ".." => {
                if *part == ".." {
                    segments.pop();
                }
                if last {
                    segments.push("");
                }
            }
            p => segments.push(p),
        }
    }
    format!("/{}", segments.join("/"))
}

/// A URL as compared between heads and sitemaps: percent-decoded, so that an IRI and its
/// percent-encoded form are the same address.
fn normalize(url: &str) -> String {
    percent_decode_str(url.trim()).decode_utf8_lossy().into_owned()
}

/// Every `*.html` under `out`, relative with `/` separators, sorted.
fn html_files(out: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| display(out, e.path()))
        .collect();
    files.sort();
    files
}

fn display(out: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(out).unwrap_or(file);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn parse(out: &Path, rel: &str) -> Html {
    let file = out.join(rel);
    Html::parse_document(&std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display())))
}

fn select<'a>(doc: &'a Html, css: &str) -> impl Iterator<Item = ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect::<Vec<_>>().into_iter()
}

/// The targets of `href`, `src` and each `srcset` candidate on linking elements, in order.
fn links(doc: &Html) -> Vec<String> {
    let mut found = Vec::new();
    for el in select(doc, &LINKING.join(",")) {
        let attr = |name| el.value().attr(name).map(str::to_string);
        found.extend(attr("href").into_iter().chain(attr("src")));
        if let Some(srcset) = el.value().attr("srcset") {
            found.extend(srcset.split(',').filter_map(|c| c.split_whitespace().next()).map(str::to_string));
        }
    }
    found
}

/// Fragment targets of a document: every `id`, and the `name` of `<a>` elements.
fn anchors(doc: &Html) -> HashSet<String> {
    let ids = select(doc, "[id]").filter_map(|e| e.value().attr("id").map(str::to_string));
    ids.chain(select(doc, "a[name]").filter_map(|e| e.value().attr("name").map(str::to_string))).collect()
}

/// What a page's head says about its languages.
struct Head {
    /// `(hreflang, href)` as written, hreflang lowercased.
    alternates: Vec<(String, String)>,
    canonical: Option<String>,
}

impl Head {
    fn set(&self) -> BTreeSet<(String, String)> {
        self.alternates.iter().map(|(l, h)| (l.clone(), normalize(h))).collect()
    }
}

fn head(doc: &Html) -> Head {
    let rel_has = |e: &ElementRef, token: &str| {
        e.value().attr("rel").is_some_and(|r| r.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case(token)))
    };
    let alternates = select(doc, "link[hreflang][href]")
        .filter(|e| rel_has(e, "alternate"))
        .map(|e| (e.value().attr("hreflang").unwrap().trim().to_lowercase(), e.value().attr("href").unwrap().trim().to_string()))
        .collect();
    let canonical =
        select(doc, "link[rel][href]").find(|e| rel_has(e, "canonical")).map(|e| e.value().attr("href").unwrap().to_string());
    Head { alternates, canonical }
}

/// A sitemap's `<url>`s: `(loc, [(hreflang, href)])`.
type SitemapUrls = Vec<(String, Vec<(String, String)>)>;

/// `(sitemap file, urls)` for `out/sitemap.xml` and, when that is an index, each sitemap it
/// names. Unreadable files are reported into `problems`.
fn sitemap_urls(out: &Path, base: &Base, problems: &mut Vec<String>) -> Vec<(String, SitemapUrls)> {
    let mut result = Vec::new();
    let mut queue = vec![("sitemap.xml".to_string(), out.join("sitemap.xml"))];
    while let Some((name, file)) = queue.pop() {
        let Ok(text) = std::fs::read_to_string(&file) else {
            problems.push(format!("{name}: missing"));
            continue;
        };
        let doc = match roxmltree::Document::parse(&text) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("{name}: not well-formed XML: {e}"));
                continue;
            }
        };
        let root = doc.root_element();
        let text_of = |node: roxmltree::Node, tag: &str| {
            node.children().find(|c| c.has_tag_name(tag)).and_then(|c| c.text()).map(|t| t.trim().to_string())
        };
        if root.has_tag_name("sitemapindex") {
            for loc in root.children().filter(|c| c.has_tag_name("sitemap")).filter_map(|s| text_of(s, "loc")) {
                match base.resolve(&loc, &base.path).map(|(path, _)| base.file_for(out, &path)) {
                    Some(Ok(f)) => queue.insert(0, (display(out, &f), f)),
                    _ => problems.push(format!("{name}: {loc} -> no such sitemap in the output")),
                }
            }
            continue;
        }
        let urls = root
            .children()
            .filter(|c| c.has_tag_name("url"))
            .filter_map(|u| {
                let alternates = u
                    .children()
                    .filter(|l| {
                        l.has_tag_name(("http://www.w3.org/1999/xhtml", "link")) && l.attribute("rel") == Some("alternate")
                    })
                    .map(|l| (l.attribute("hreflang").unwrap_or("").to_string(), l.attribute("href").unwrap_or("").to_string()))
                    .collect();
                Some((text_of(u, "loc")?, alternates))
            })
            .collect();
        result.push((name, urls));
    }
    result
}

/// `only in <a>: ...; only in <b>: ...` for two hreflang sets.
fn diff(a: &BTreeSet<(String, String)>, b: &BTreeSet<(String, String)>, a_name: &str, b_name: &str) -> String {
    let show = |s: Vec<&(String, String)>| s.iter().map(|(l, h)| format!("{l}={h}")).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    let only_a: Vec<_> = a.difference(b).collect();
    let only_b: Vec<_> = b.difference(a).collect();
    if !only_a.is_empty() {
        parts.push(format!("only {a_name}: {}", show(only_a)));
    }
    if !only_b.is_empty() {
        parts.push(format!("only {b_name}: {}", show(only_b)));
    }
    parts.join("; ")
}
