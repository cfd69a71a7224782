//! `tessera build` on the `outputs` fixture, a four-language site published under
//! `https://org.github.io/network/`: its feeds, sitemaps, robots.txt, alias redirects,
//! fingerprinted assets, page metadata and search index, read back from the output folder.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

const ORIGIN: &str = "https://org.github.io";
const BASE_PATH: &str = "/network/";
const SITE: &str = "https://org.github.io/network/";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML: &str = "http://www.w3.org/1999/xhtml";

fn built() -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = copy_fixture("outputs");
    build(&root, &[]);
    let public = root.join("public");
    (tmp, public)
}

/// The output file an absolute URL of the site points at (`…/` means its `index.html`).
fn file_of_url(public: &Path, url: &str) -> PathBuf {
    let path = url.strip_prefix(ORIGIN).unwrap_or_else(|| panic!("{url} is not on {ORIGIN}"));
    file_of_path(public, path)
}

fn file_of_path(public: &Path, path: &str) -> PathBuf {
    let path = path.split(['#', '?']).next().unwrap_or("");
    let inside = path.strip_prefix(BASE_PATH).unwrap_or_else(|| panic!("{path} is not under {BASE_PATH}"));
    let file = public.join(inside);
    if path.ends_with('/') { file.join("index.html") } else { file }
}

fn html_files(public: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

/// Values of every `name="…"` attribute in `html`.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn atom_feeds_per_language_with_absolute_entry_links() {
    let (_tmp, public) = built();
    for (file, lang, entry_prefix) in [
        ("atom.xml", "en", SITE.to_string()),
        ("hi/atom.xml", "hi", format!("{SITE}hi/")),
        ("az/atom.xml", "az", format!("{SITE}az/")),
        ("ar/atom.xml", "ar", format!("{SITE}ar/")),
    ] {
        let text = read(public.join(file));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file} is not XML: {e}"));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().namespace(), Some(ATOM), "{file}");
        assert_eq!(feed.tag_name().name(), "feed", "{file}");
        assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some(lang), "{file}");
        let self_link = feed
            .children()
            .find(|n| n.has_tag_name((ATOM, "link")) && n.attribute("rel") == Some("self"))
            .and_then(|n| n.attribute("href"));
        assert_eq!(self_link, Some(format!("{SITE}{file}").as_str()));
        let entries: Vec<_> = feed.children().filter(|n| n.has_tag_name((ATOM, "entry"))).collect();
        assert!(!entries.is_empty(), "{file} has no entries");
        for entry in entries {
            let child = |name: &str| entry.children().find(|n| n.has_tag_name((ATOM, name)));
            let href = child("link").and_then(|l| l.attribute("href")).expect("entry link");
            assert!(href.starts_with(&entry_prefix), "{file}: {href} is not a {lang} page");
            assert!(file_of_url(&public, href).is_file(), "{file}: {href} has no page");
            for date in ["updated", "published"] {
                let text = child(date).and_then(|n| n.text()).unwrap_or_else(|| panic!("{file}: entry without {date}"));
                assert!(chrono::DateTime::parse_from_rfc3339(text).is_ok(), "{file}: {date} {text}");
            }
            assert!(child("title").and_then(|n| n.text()).is_some_and(|t| !t.is_empty()));
        }
    }
    // The newest entry keeps the time and offset of its front matter date.
    let en = read(public.join("atom.xml"));
    assert!(en.contains("<published>2024-12-22T10:30:00+01:00</published>"), "{en}");
    assert!(en.contains("<updated>2024-12-28T00:00:00Z</updated>"), "{en}");
}

#[test]
fn term_feeds_only_for_taxonomies_that_ask() {
    let (_tmp, public) = built();
    for file in ["partners/wasme/atom.xml", "hi/partners/wasme/atom.xml", "ar/partners/wasme/atom.xml"] {
        let text = read(public.join(file));
        let doc = roxmltree::Document::parse(&text).unwrap();
        let entries = doc.root_element().children().filter(|n| n.has_tag_name((ATOM, "entry"))).count();
        assert_eq!(entries, 1, "{file}");
    }
    assert!(!public.join("tags/conference/atom.xml").exists(), "tags has no `feed: true`");
    // A term page links its own feed when there is one, else its language's.
    assert!(read(public.join("ar/partners/wasme/index.html")).contains(r#"href="/network/ar/partners/wasme/atom.xml""#));
    assert!(read(public.join("tags/conference/index.html")).contains(r#"href="/network/atom.xml""#));
}

#[derive(Debug)]
struct SitemapUrl {
    lang: String,
    alternates: BTreeMap<String, String>,
}

/// Every `<url>` of every per-language sitemap listed in the index: loc -> (language, alternates).
fn sitemap_urls(public: &Path) -> BTreeMap<String, SitemapUrl> {
    let index = read(public.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let locs: Vec<String> =
        doc.descendants().filter(|n| n.has_tag_name((SITEMAP, "loc"))).map(|n| n.text().unwrap().to_string()).collect();
    let expected: Vec<String> = ["en", "hi", "az", "ar"].iter().map(|l| format!("{SITE}sitemap-{l}.xml")).collect();
    assert_eq!(locs, expected);
    let mut urls = BTreeMap::new();
    for (loc, lang) in locs.iter().zip(["en", "hi", "az", "ar"]) {
        let text = read(file_of_url(public, loc));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{loc}: {e}"));
        for url in doc.root_element().children().filter(|n| n.has_tag_name((SITEMAP, "url"))) {
            let loc = url.children().find(|n| n.has_tag_name((SITEMAP, "loc"))).and_then(|n| n.text()).unwrap().to_string();
            let alternates = url
                .children()
                .filter(|n| n.has_tag_name((XHTML, "link")))
                .map(|n| (n.attribute("hreflang").unwrap().to_string(), n.attribute("href").unwrap().to_string()))
                .collect();
            let previous = urls.insert(loc.clone(), SitemapUrl { lang: lang.to_string(), alternates });
            assert!(previous.is_none(), "{loc} is listed twice");
        }
    }
    urls
}

#[test]
fn sitemaps_have_reciprocal_hreflang_with_x_default() {
    let (_tmp, public) = built();
    let urls = sitemap_urls(&public);
    assert!(urls.len() > 20, "{urls:#?}");
    for (loc, url) in &urls {
        assert!(file_of_url(&public, loc).is_file(), "{loc} is in a sitemap but not in the output");
        assert_eq!(url.alternates.get(&url.lang), Some(loc), "{loc} does not list itself");
        assert!(url.alternates.contains_key("x-default"), "{loc} has no x-default");
        for (hreflang, href) in url.alternates.iter().filter(|(h, _)| *h != "x-default") {
            let other = urls.get(href).unwrap_or_else(|| panic!("{loc} names {href}, which no sitemap lists"));
            assert_eq!(&other.lang, hreflang, "{href}");
            assert_eq!(other.alternates, url.alternates, "{loc} and {href} disagree on their alternates");
        }
    }
    // x-default is the default language's version, else the first language that has the page.
    let summit = &urls[&format!("{SITE}hi/news/summit/")];
    assert_eq!(summit.alternates["x-default"], format!("{SITE}news/summit/"));
    assert_eq!(summit.alternates.len(), 5);
    let monsoon = &urls[&format!("{SITE}hi/news/monsoon/")];
    assert_eq!(monsoon.alternates.keys().collect::<Vec<_>>(), ["hi", "x-default"]);
    assert_eq!(monsoon.alternates["x-default"], format!("{SITE}hi/news/monsoon/"));
    // Drafts and aliases are not in it.
    assert!(urls.keys().all(|u| !u.contains("secret") && !u.contains("paris-summit")));
}

#[test]
fn robots_txt_points_at_the_sitemap_index() {
    let (_tmp, public) = built();
    let robots = read(public.join("robots.txt"));
    assert!(robots.lines().any(|l| l == format!("Sitemap: {SITE}sitemap.xml")), "{robots}");
    assert!(robots.contains("User-agent: *"), "{robots}");
}

#[test]
fn aliases_redirect_to_the_page() {
    let (_tmp, public) = built();
    let target = format!("{SITE}news/summit/");
    for file in ["2024/paris-summit/index.html", "old-summit.html"] {
        let html = read(public.join(file));
        assert!(html.contains(&format!(r#"<meta http-equiv="refresh" content="0; url={target}">"#)), "{file}: {html}");
        assert!(html.contains(&format!(r#"<link rel="canonical" href="{target}">"#)), "{file}: {html}");
        assert!(html.contains(&format!(r#"<a href="{target}">"#)), "{file}: {html}");
    }
}

#[test]
fn an_alias_over_an_existing_page_is_an_error() {
    let (_tmp, root) = copy_fixture("outputs");
    let file = root.join("content/news/report.en.md");
    let text = read(&file).replacen("---\n", "---\naliases: [\"/news/summit/\"]\n", 1);
    std::fs::write(&file, text).unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("report.en.md") && err.contains("/news/summit/"), "{err}");
}

/// The JSON-LD of a page, parsed.
fn jsonld(html: &str) -> serde_json::Value {
    let start = html.find(r#"<script type="application/ld+json">"#).expect("a JSON-LD script") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{}", &html[start..end]))
}

#[test]
fn news_articles_carry_json_ld_and_open_graph_locales() {
    let (_tmp, public) = built();
    let html = read(public.join("news/summit/index.html"));
    let article = jsonld(&html);
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Summit in Paris");
    // The description has `<`, `>` and `&`: escaped in the script, intact once parsed.
    assert_eq!(article["description"], "Partners <met> in Paris & voted.");
    assert!(!html.contains("<met>"), "raw markup from front matter reached the page");
    assert_eq!(article["datePublished"], "2024-12-22T10:30:00+01:00");
    assert_eq!(article["dateModified"], "2024-12-28T00:00:00Z");
    assert_eq!(article["inLanguage"], "en");
    assert_eq!(article["url"], format!("{SITE}news/summit/"));
    assert_eq!(article["image"][0], format!("{SITE}images/logo.svg"));
    assert_eq!(article["publisher"]["@type"], "Organization");
    assert_eq!(article["publisher"]["name"], "Network");
    assert_eq!(article["about"][0]["name"], "WASME");
    assert_eq!(article["about"][0]["url"], "https://wasme.example.org/");
    assert!(html.contains(r#"<meta property="og:locale" content="en_US">"#), "{html}");
    for alt in ["hi_IN", "az_AZ", "ar_EG"] {
        assert!(html.contains(&format!(r#"<meta property="og:locale:alternate" content="{alt}">"#)), "{alt}");
    }

    let ar = jsonld(&read(public.join("ar/news/summit/index.html")));
    assert_eq!(ar["headline"], "قمة في باريس");
    assert_eq!(ar["inLanguage"], "ar");
    assert_eq!(ar["datePublished"], "2024-12-22T00:00:00Z");
    assert_eq!(ar["publisher"]["name"], "الشبكة");
    assert_eq!(ar["publisher"]["url"], format!("{SITE}ar/"));
    let hi = read(public.join("hi/news/monsoon/index.html"));
    assert!(hi.contains(r#"<meta property="og:locale" content="hi_IN">"#));
    assert!(!hi.contains("og:locale:alternate"), "the page exists only in Hindi");
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let (_tmp, public) = built();
    let mut checked = 0;
    for file in html_files(&public) {
        let html = read(&file);
        for url in attribute_values(&html, "href").into_iter().chain(attribute_values(&html, "src")) {
            let url = url.replace("&amp;", "&");
            let path = match url.strip_prefix(ORIGIN) {
                Some(p) => p.to_string(),
                None => url.clone(),
            };
            if !path.starts_with(BASE_PATH) {
                assert!(!path.starts_with('/'), "{}: {url} is outside the base path", file.display());
                continue;
            }
            assert!(file_of_path(&public, &path).is_file(), "{}: {url} resolves to no file", file.display());
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn stylesheets_and_scripts_get_content_hashed_names() {
    let (_tmp, root) = copy_fixture("outputs");
    build(&root, &[]);
    let css_href = |root: &Path| -> String {
        let html = read(root.join("public/index.html"));
        attribute_values(&html, "href").into_iter().find(|h| h.starts_with("/network/main.")).expect("main.css link").to_string()
    };
    let first = css_href(&root);
    let hash = first.strip_prefix("/network/main.").and_then(|r| r.strip_suffix(".css")).unwrap();
    assert!(hash.len() == 12 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{first}");
    // Compiled from the theme's Sass, compressed, with the partial's variable.
    let css = read(file_of_path(&root.join("public"), &first));
    assert!(css.contains("body{color:#123456}"), "{css}");
    // The site's own Sass and the theme's static script too.
    let html = read(root.join("public/index.html"));
    assert!(attribute_values(&html, "href").iter().any(|h| h.starts_with("/network/print.") && h.ends_with(".css")));
    assert!(
        attribute_values(&html, "src")
            .iter()
            .any(|h| h.starts_with("/network/js/menu.") && h.ends_with(".js") && *h != "/network/js/menu.js")
    );
    assert!(!root.join("public/main.css").exists(), "Sass output is only written under its hashed name");

    // Changing the stylesheet changes its name, so browsers never keep a stale copy.
    std::fs::write(root.join("themes/tiny/sass/_colors.scss"), "$ink: #654321;\n").unwrap();
    build(&root, &[]);
    let second = css_href(&root);
    assert_ne!(first, second);
    assert!(read(file_of_path(&root.join("public"), &second)).contains("#654321"));
    assert!(!file_of_path(&root.join("public"), &first).exists());
}

#[test]
fn a_missing_asset_or_broken_sass_is_reported_with_its_file() {
    let (_tmp, root) = copy_fixture("outputs");
    std::fs::write(root.join("sass/print.scss"), "nav { color: $nope; }\n").unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("print.scss") && err.contains("Undefined variable"), "{err}");

    let (_tmp, root) = copy_fixture("outputs");
    let base = root.join("themes/tiny/templates/base.html");
    std::fs::write(&base, read(&base).replace("asset_url(path='main.css')", "asset_url(path='mian.css')")).unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("base.html") && err.contains("mian.css"), "{err}");
}

/// Decompressed Pagefind file (gzip, then a `pagefind_dcd` signature).
fn pagefind_file(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()).read_to_end(&mut bytes).unwrap();
    assert!(bytes.starts_with(b"pagefind_dcd"), "{}", path.display());
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn search_index_per_language_finds_words_in_every_script() {
    let (_tmp, public) = built();
    let entry: serde_json::Value = serde_json::from_str(&read(public.join("pagefind/pagefind-entry.json"))).unwrap();
    let languages: BTreeSet<&str> = entry["languages"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(languages, BTreeSet::from(["ar", "az", "en", "hi"]));
    // The UI loads without Node.js from files in the bundle.
    for file in ["pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-worker.js", "wasm.hi.pagefind", "wasm.ar.pagefind"]
    {
        assert!(public.join("pagefind").join(file).is_file(), "missing pagefind/{file}");
    }
    // Each language's words sit in index chunks its metadata names; Devanagari words are whole.
    for (lang, word, elsewhere) in
        [("en", "irrig", "सिंचाई"), ("hi", "सिंचाई", "irrig"), ("az", "suvarma", "باريس"), ("ar", "باريس", "suvarma")]
    {
        let hash = entry["languages"][lang]["hash"].as_str().unwrap();
        let meta = pagefind_file(&public.join(format!("pagefind/pagefind.{hash}.pf_meta")));
        let chunks: Vec<Vec<u8>> = std::fs::read_dir(public.join("pagefind/index"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| contains(&meta, p.file_stem().unwrap().to_str().unwrap()))
            .map(|p| pagefind_file(&p))
            .collect();
        assert!(!chunks.is_empty(), "{lang}: no index chunks");
        assert!(chunks.iter().any(|c| contains(c, word)), "{lang}: `{word}` is not indexed");
        assert!(!chunks.iter().any(|c| contains(c, elsewhere)), "{lang}: `{elsewhere}` leaked into this language");
    }
    // Only article bodies (data-pagefind-body) are indexed: navigation and redirects are not.
    let fragments: Vec<Vec<u8>> =
        std::fs::read_dir(public.join("pagefind/fragment")).unwrap().map(|e| pagefind_file(&e.unwrap().path())).collect();
    assert!(fragments.iter().any(|f| contains(f, "/network/hi/news/summit/")), "URLs carry the base path");
    assert!(!fragments.iter().any(|f| contains(f, "Azərbaycanca")), "the language switcher was indexed");
    assert!(!fragments.iter().any(|f| contains(f, "paris-summit")), "an alias page was indexed");
}

/// Files someone else put in the output folder (`CNAME`, `.git`, a PDF dropped in by hand)
/// survive every build, the very same files; what tessera wrote and no longer writes goes.
#[test]
fn files_tessera_did_not_write_are_kept_across_builds() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let public = root.join("public");
    std::fs::write(public.join("CNAME"), "news.example.org\n").unwrap();
    std::fs::create_dir_all(public.join(".git/refs")).unwrap();
    std::fs::write(public.join(".git/refs/main"), "abc\n").unwrap();
    std::fs::write(public.join("news/brochure.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(public.join("robots.txt"), "User-agent: *\n").unwrap();
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let cname_inode = inode(&public.join("CNAME"));
    assert!(public.join("news/report/index.html").is_file());
    std::fs::remove_file(root.join("content/news/report.en.md")).unwrap();

    let out = build(&root, &[]);
    assert_eq!(read(public.join("CNAME")), "news.example.org\n");
    assert_eq!(inode(&public.join("CNAME")), cname_inode, "the same file, linked, not copied");
    assert_eq!(read(public.join(".git/refs/main")), "abc\n");
    assert_eq!(std::fs::read(public.join("news/brochure.pdf")).unwrap(), b"%PDF-1.4");
    assert!(!public.join("news/report/index.html").exists(), "a page tessera no longer writes is gone");
    // robots.txt is tessera's: an edit to it is replaced by the next build.
    assert!(read(public.join("robots.txt")).contains("Sitemap:"));
    assert!(stderr(&out).is_empty() || !stderr(&out).contains("CNAME"), "{}", stderr(&out));

    // Later rebuilds bring the kept generation up to date from the manifests, reading only the
    // folders changed since: the kept files stay, and one removed by hand does not come back.
    let page = root.join("content/news/summit.en.md");
    for round in 0..3 {
        if round == 1 {
            std::fs::remove_file(public.join("news/brochure.pdf")).unwrap();
            std::fs::write(public.join(".git/refs/tag"), "def\n").unwrap();
        }
        std::fs::write(&page, read(&page).replace("\n---\n", &format!("\n---\nEdit {round}.\n\n"))).unwrap();
        build(&root, &[]);
        assert_eq!(read(public.join("CNAME")), "news.example.org\n", "round {round}");
        assert_eq!(inode(&public.join("CNAME")), cname_inode, "round {round}");
        assert_eq!(read(public.join(".git/refs/main")), "abc\n", "round {round}");
        assert_eq!(public.join("news/brochure.pdf").exists(), round == 0, "round {round}");
        assert_eq!(public.join(".git/refs/tag").exists(), round > 0, "round {round}");
        assert!(read(public.join("news/summit/index.html")).contains(&format!("Edit {round}.")));
    }
}

/// A rebuild writes only what changed: every other file of the new generation is the previous
/// generation's file, linked (same inode), and the bytes are those a fresh build writes.
#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let public = root.join("public");
    let inode = |p: &str| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(public.join(p)).unwrap());
    let (about, summit) = (inode("about/index.html"), inode("news/summit/index.html"));
    let page = root.join("content/news/summit.en.md");
    std::fs::write(&page, read(&page).replace("\n---\n", "\n---\nA sentence added by an editor.\n\n")).unwrap();
    build(&root, &[]);
    assert_eq!(inode("about/index.html"), about, "an unchanged page is linked, not written again");
    assert_ne!(inode("news/summit/index.html"), summit, "the edited page is written");
    assert!(read(public.join("news/summit/index.html")).contains("A sentence added by an editor."));
    let manifest = read(public.join(".tessera-manifest"));
    assert!(manifest.lines().any(|l| l.ends_with(" about/index.html")), "{manifest}");
}

/// The generation a build replaces is kept beside the output (`.tessera-spare-public`), and the
/// next build brings that tree up to date and exchanges it back instead of making a new tree:
/// what the site no longer has goes, a file someone touched in it is written again, and the
/// result is byte for byte what a fresh build writes.
#[test]
fn a_rebuild_brings_the_kept_generation_up_to_date() {
    let (_tmp, root) = copy_fixture("multilingual");
    let public = root.join("public");
    let spare = root.join(".tessera-spare-public");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    build(&root, &[]);
    let first_tree = inode(&public);
    assert!(!spare.exists(), "a first build has no generation to keep");
    let summit = root.join("content/news/summit.en.md");
    std::fs::write(&summit, read(&summit).replace("\n---\n", "\n---\nFirst edit.\n\n")).unwrap();
    build(&root, &[]);
    assert_eq!(inode(&spare), first_tree, "the replaced generation is kept");
    assert!(!read(spare.join("news/summit/index.html")).contains("First edit."));

    // Someone touches the kept generation; a page goes; the article is edited again.
    std::fs::remove_file(spare.join("about/index.html")).unwrap();
    std::fs::write(spare.join("about/index.html"), "touched").unwrap();
    std::fs::write(spare.join("news/stray.html"), "not the site's").unwrap();
    std::fs::create_dir_all(spare.join("old/folder")).unwrap();
    std::fs::write(spare.join("old/folder/index.html"), "gone").unwrap();
    std::fs::remove_file(root.join("content/news/report.en.md")).unwrap();
    std::fs::write(&summit, read(&summit).replace("First edit.", "Second edit.")).unwrap();
    build(&root, &[]);
    assert_eq!(inode(&public), first_tree, "the kept generation was brought up to date and put back");
    assert!(read(public.join("news/summit/index.html")).contains("Second edit."));

    assert_output_same_as_fresh_build(&root);
    assert!(!public.join("old").exists(), "a folder the site no longer has is left");
}

/// After page edits, the first rebuild into a new site makes the spare generation (hard links
/// to the live files) while it renders, then brings it up to date as any rebuild does. The
/// spare is made even when the build then fails, so the next one has it, and nothing else is
/// left beside the output; the site in the end is byte for byte a fresh build's.
#[test]
fn the_first_rebuild_makes_the_spare_generation_while_it_renders() {
    let (_tmp, root) = copy_fixture("multilingual");
    let public = root.join("public");
    let spare = root.join(".tessera-spare-public");
    settle();
    build(&root, &[]);
    let first = inodes(&public);
    settle();
    let summit = root.join("content/news/summit.en.md");
    let text = read(&summit);
    std::fs::write(&summit, text.replacen("\n---\n", "\nbroken: [\n---\n", 1)).unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success(), "a broken page fails the build");
    assert_nothing_beside_the_output(&root);
    assert_eq!(inodes(&public), first, "a failed build leaves the site as it was");
    let made = inodes(&spare);
    let tessera_files = [".tessera-manifest", ".tessera-output"];
    let pages = first.iter().filter(|(path, _)| path.ends_with(".html"));
    assert!(pages.clone().count() > 30 && pages.clone().all(|(path, inode)| made.get(path) == Some(inode)), "{made:?}");
    assert!(
        made.iter().all(|(path, inode)| tessera_files.contains(&path.as_str()) || first.get(path) == Some(inode)),
        "{made:?}"
    );

    std::fs::write(&summit, text.replace("\n---\n", "\n---\nAn edit after the spare was made.\n\n")).unwrap();
    let out = build(&root, &[]);
    assert!(stdout(&out).contains("rendered again"), "{}", stdout(&out));
    assert_nothing_beside_the_output(&root);
    assert!(read(public.join("news/summit/index.html")).contains("An edit after the spare was made."));
    assert_eq!(inodes(&spare), first, "the replaced generation is kept");
    assert_output_same_as_fresh_build(&root);
}

/// A rebuild takes a file of the kept generation without looking at it only when it is the
/// live site's very file (checked when the build started) in a folder nobody changed. A kept
/// file written in place, which leaves its folder as it was, is written again when the site
/// comes back to the bytes it had: the result is a fresh build's.
#[test]
fn a_kept_file_written_in_place_is_written_again() {
    let (_tmp, root) = copy_fixture("multilingual");
    let spare = root.join(".tessera-spare-public");
    settle();
    build(&root, &[]);
    settle();
    let summit = root.join("content/news/summit.en.md");
    let text = read(&summit);
    std::fs::write(&summit, text.replace("\n---\n", "\n---\nAn edit undone later.\n\n")).unwrap();
    build(&root, &[]);
    let kept = spare.join("news/summit/index.html");
    assert!(!read(&kept).contains("An edit undone later."), "the kept generation has the page as it was");
    let before = inodes(&spare);
    std::io::Write::write_all(&mut std::fs::OpenOptions::new().write(true).truncate(true).open(&kept).unwrap(), b"touched")
        .unwrap();
    assert_eq!(inodes(&spare), before, "written in place: same file, same folder");
    settle();
    std::fs::write(&summit, &text).unwrap();
    let out = build(&root, &[]);
    assert!(stdout(&out).contains("rendered again"), "{}", stdout(&out));
    assert_output_same_as_fresh_build(&root);
}

/// Every file of the tree `dir` with its inode, by path.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().display().to_string();
            (path, std::os::unix::fs::MetadataExt::ino(&e.metadata().unwrap()))
        })
        .collect()
}

/// The site's root holds the output and nothing of a build once it ends: no spool or staging
/// folder is left beside the output.
fn assert_nothing_beside_the_output(root: &Path) {
    let left: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".tessera-staging-") || name.starts_with(".tessera-old-"))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "a build left its working folders behind");
}

/// A build that renders every page (here after a template edit) puts each page on disk as it is
/// rendered, not in memory: a first build's pages become the site where they were put, and a
/// rebuild writes only the pages whose bytes changed, linking the others from the live site.
/// The result is byte for byte a fresh build's, and nothing is left beside the output.
#[test]
fn a_whole_render_writes_only_pages_whose_bytes_changed() {
    let (_tmp, root) = copy_fixture("multilingual");
    let public = root.join("public");
    build(&root, &[]);
    assert_nothing_beside_the_output(&root);
    let before = inodes(&public);
    let template = root.join("templates/taxonomy_term.html");
    std::fs::write(&template, read(&template).replace("</h1>", "</h1><p>Terms edited.</p>")).unwrap();
    let out = build(&root, &[]);
    assert!(!stdout(&out).contains("rendered again"), "a template edit renders every page: {}", stdout(&out));
    assert_nothing_beside_the_output(&root);
    let after = inodes(&public);
    let (mut linked, mut written) = (0, 0);
    for (path, inode) in after.iter().filter(|(p, _)| p.ends_with(".html")) {
        let edited = read(public.join(path)).contains("Terms edited.");
        if edited {
            assert_ne!(before.get(path), Some(inode), "{path} changed but was not written again");
            written += 1;
        } else if before.contains_key(path) {
            assert_eq!(before.get(path), Some(inode), "{path} did not change but was written again");
            linked += 1;
        }
    }
    assert!(linked > 10 && written > 2, "{linked} pages linked, {written} written");

    assert_output_same_as_fresh_build(&root);
}
