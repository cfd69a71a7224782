//! Built sites as the outside world reads them: no broken links or fragments, and hreflang sets
//! that agree between pages and with the sitemap. The helpers are first shown to catch each kind
//! of problem on small hand-written output folders.

mod common;
use common::{crawl, generate, tessera};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use std::path::Path;

const BASE: &str = "https://example.org/";

/// Writes `files` (relative path, content) into a fresh output folder.
fn output(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A page whose head carries `alternates` as `(hreflang, href)` and whose body is `body`.
fn page(canonical: &str, alternates: &[(&str, &str)], body: &str) -> String {
    let links: String =
        alternates.iter().map(|(lang, href)| format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\">\n")).collect();
    format!("<!doctype html><html><head><link rel=\"canonical\" href=\"{canonical}\">\n{links}</head><body>{body}</body></html>")
}

/// A urlset whose `<url>`s are `(loc, alternates)`.
fn urlset(urls: &[(&str, &[(&str, &str)])]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">"#,
    );
    for (loc, alternates) in urls {
        xml.push_str(&format!("<url><loc>{loc}</loc>"));
        for (lang, href) in *alternates {
            xml.push_str(&format!(r#"<xhtml:link rel="alternate" hreflang="{lang}" href="{href}"/>"#));
        }
        xml.push_str("</url>");
    }
    xml + "</urlset>"
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

#[test]
fn broken_links_finds_missing_pages_fragments_and_srcset_candidates() {
    let samachar = utf8_percent_encode("समाचार", NON_ALPHANUMERIC).to_string();
    let index = format!(
        r##"<a href="/about/">ok</a> <a href="/missing/">gone</a>
        <a href="/about/#team">ok</a> <a href="/about/#nobody">no such id</a> <a href="about/#old">a name</a>
        <a href="/hi/news/{samachar}/">Devanagari, percent-encoded</a> <a href="https://example.org/sitemap.xml">ok</a>
        <a href="https://other.org/nowhere/">external</a> <a href="mailto:x@example.org">m</a> <a href="tel:+123">t</a>
        <a href="javascript:void(0)">j</a> <img src="data:image/png;base64,AAAA"> <a href="#">top</a> <a href="#top">top</a>
        <img src="logo.svg" srcset="logo.svg 1x, logo@2x.svg 2x"> <script src="/pagefind/pagefind.js"></script>"##
    );
    let out = output(&[
        ("index.html", &page(BASE, &[("en", BASE), ("hi", "https://example.org/hi/"), ("x-default", BASE)], &index)),
        ("hi/index.html", "<p>hi</p>"),
        ("about/index.html", r#"<h2 id="team">Team</h2><a name="old"></a><a href="../">home</a><a href="./">self</a>"#),
        ("hi/news/समाचार/index.html", r#"<a href="../../">hi home</a><a href="../../../about/#team">about</a>"#),
        ("logo.svg", "<svg/>"),
        ("sitemap.xml", "<urlset/>"),
    ]);
    let problems = sorted(crawl::broken_links(out.path(), BASE));
    assert_eq!(
        problems,
        [
            r#"index.html: /about/#nobody -> no element with id "nobody" in about/index.html"#,
            "index.html: /missing/ -> no such file (missing/)",
            "index.html: logo@2x.svg -> no such file (logo@2x.svg)",
        ]
    );

    // With a search index built, its files are checked too.
    std::fs::create_dir(out.path().join("pagefind")).unwrap();
    let problems = crawl::broken_links(out.path(), BASE);
    assert!(
        problems.contains(&"index.html: /pagefind/pagefind.js -> no such file (pagefind/pagefind.js)".to_string()),
        "{problems:?}"
    );
}

#[test]
fn broken_links_keeps_to_the_base_path() {
    let base = "https://example.org/network/";
    let out = output(&[
        (
            "index.html",
            r#"<a href="/network/about/">ok</a> <a href="https://example.org/network/about">no slash</a>
            <a href="/about/">outside</a> <a href="//example.org/network/feed.xml">protocol-relative</a>
            <a href="https://example.org:8080/network/">another origin</a>"#,
        ),
        ("about/index.html", r#"<a href="../index.html">home</a> <a href="../../elsewhere/">above the base</a>"#),
    ]);
    let problems = sorted(crawl::broken_links(out.path(), base));
    assert_eq!(
        problems,
        [
            "about/index.html: ../../elsewhere/ -> outside the site's base path /network/",
            "index.html: //example.org/network/feed.xml -> no such file (feed.xml)",
            "index.html: /about/ -> outside the site's base path /network/",
        ]
    );
}

/// Two translations of a page, with Devanagari written as is in heads and percent-encoded in
/// the sitemap, and a 404 page with no alternates.
fn consistent_site() -> Vec<(String, String)> {
    let en = "https://example.org/news/report/";
    let hi = "https://example.org/hi/news/रिपोर्ट/";
    let hi_encoded = format!("https://example.org/hi/news/{}/", utf8_percent_encode("रिपोर्ट", NON_ALPHANUMERIC));
    let set = [("en", en), ("hi", hi), ("x-default", en)];
    let encoded_set = [("en", en), ("hi", hi_encoded.as_str()), ("x-default", en)];
    vec![
        ("news/report/index.html".into(), page(en, &set, "")),
        ("hi/news/रिपोर्ट/index.html".into(), page(hi, &set, "")),
        ("404.html".into(), page("https://example.org/404.html", &[], "")),
        ("sitemap.xml".into(), urlset(&[(en, &set), (&hi_encoded, &encoded_set)])),
    ]
}

fn output_of(files: &[(String, String)]) -> tempfile::TempDir {
    output(&files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>())
}

#[test]
fn hreflang_problems_accepts_a_consistent_site() {
    let out = output_of(&consistent_site());
    assert_eq!(crawl::hreflang_problems(out.path(), BASE), Vec::<String>::new());
}

#[test]
fn hreflang_problems_finds_a_non_reciprocal_pair() {
    let mut files = consistent_site();
    let hi = "https://example.org/hi/news/रिपोर्ट/";
    files[1].1 = page(hi, &[("hi", hi), ("x-default", hi)], "");
    files[3].1 = urlset(&[
        (
            "https://example.org/news/report/",
            &[("en", "https://example.org/news/report/"), ("hi", hi), ("x-default", "https://example.org/news/report/")],
        ),
        (hi, &[("hi", hi), ("x-default", hi)]),
    ]);
    let out = output_of(&files);
    assert_eq!(
        crawl::hreflang_problems(out.path(), BASE),
        [format!(
            "news/report/index.html: hreflang hi -> {hi}: that page's set differs \
             (only here: en=https://example.org/news/report/, x-default=https://example.org/news/report/; only there: x-default={hi})"
        )]
    );
}

#[test]
fn hreflang_problems_checks_each_head_on_its_own() {
    let mut files = consistent_site();
    let en = "https://example.org/news/report/";
    // No self reference, a relative href, a repeated language, no x-default.
    files.push(("about/index.html".into(), page("https://example.org/about/", &[("en", "/news/report/"), ("en", en)], "")));
    // A stand-in whose canonical points at the original but still claims alternates.
    files.push(("ar/news/report/index.html".into(), page(en, &[("en", en), ("x-default", en)], "")));
    let out = output_of(&files);
    let problems = sorted(crawl::hreflang_problems(out.path(), BASE));
    let expected = [
        "about/index.html: 0 x-default entries (want exactly 1)".to_string(),
        "about/index.html: hreflang en -> /news/report/: not an absolute URL under https://example.org/".into(),
        "about/index.html: hreflang en appears 2 times".into(),
        "about/index.html: hreflang en -> /news/report/: that page's set differs (only here: en=/news/report/; only there: hi=https://example.org/hi/news/रिपोर्ट/, x-default=https://example.org/news/report/)".into(),
        "about/index.html: hreflang set does not name the page itself (https://example.org/about/)".into(),
        format!("ar/news/report/index.html: canonical points to {en}, yet the page claims an hreflang set without itself"),
        format!("ar/news/report/index.html: hreflang en -> {en}: that page's set differs (only there: hi=https://example.org/hi/news/रिपोर्ट/)"),
    ];
    assert_eq!(problems, sorted(expected.to_vec()));
}

#[test]
fn hreflang_problems_compares_the_sitemap_with_the_heads() {
    let mut files = consistent_site();
    let en = "https://example.org/news/report/";
    let hi = "https://example.org/hi/news/रिपोर्ट/";
    // A sitemap index whose English sitemap forgets the Hindi alternate, lists the 404 page and
    // a page that does not exist, and leaves the Hindi page out.
    files[3].1 = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>https://example.org/sitemap-en.xml</loc></sitemap>
        <sitemap><loc>https://example.org/sitemap-hi.xml</loc></sitemap></sitemapindex>"#
        .into();
    files.push((
        "sitemap-en.xml".into(),
        urlset(&[
            (en, &[("en", en), ("x-default", en)]),
            ("https://example.org/404.html", &[]),
            ("https://example.org/news/gone/", &[("en", "https://example.org/news/gone/")]),
        ]),
    ));
    let out = output_of(&files);
    let problems = sorted(crawl::hreflang_problems(out.path(), BASE));
    let expected = [
        "hi/news/रिपोर्ट/index.html: has an hreflang set and is its own canonical, but is not in the sitemap".to_string(),
        format!("sitemap-en.xml: {en} -> alternates differ from the page's head (only page: hi={hi})"),
        "sitemap-en.xml: https://example.org/404.html -> page 404.html has no hreflang set but is listed".into(),
        "sitemap-en.xml: https://example.org/news/gone/ -> not an existing page".into(),
        "sitemap.xml: https://example.org/sitemap-hi.xml -> no such sitemap in the output".into(),
    ];
    assert_eq!(problems, sorted(expected.to_vec()));
}

/// Builds nothing; asserts that `out` has no broken link and consistent hreflang, listing the
/// first 50 problems of each kind otherwise.
fn assert_reads_well(out: &Path) {
    let links = crawl::broken_links(out, BASE);
    let hreflang = crawl::hreflang_problems(out, BASE);
    let show = |name: &str, lines: &[String]| {
        let shown: Vec<&str> = lines.iter().take(50).map(String::as_str).collect();
        format!("{} {name}{}:\n  {}\n", lines.len(), if lines.len() > 50 { " (first 50)" } else { "" }, shown.join("\n  "))
    };
    assert!(
        links.is_empty() && hreflang.is_empty(),
        "{} in {}:\n{}{}",
        "the site does not read well",
        out.display(),
        show("broken links", &links),
        show("hreflang problems", &hreflang)
    );
}

#[test]
fn bundled_site_has_no_broken_links_and_consistent_hreflang() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = tessera(&["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert_reads_well(&out);
}

#[test]
fn generated_network_site_has_no_broken_links_and_consistent_hreflang() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 24, &["en", "hi", "az", "ar"]);
    let out = tmp.path().join("public");
    generate::build_to(&root, &out);
    assert_reads_well(&out);
}

/// Articles name partners, but the site has no partner pages (the partners taxonomy is
/// `render: false`): the names show without links, and no menu item points to /partners/.
#[test]
fn partners_without_partner_pages_leave_no_broken_link() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 50, &["en", "hi", "az", "ar"]);
    std::fs::remove_dir_all(root.join("content/partners")).unwrap();
    let out = tmp.path().join("public");
    generate::build_to(&root, &out);
    assert_reads_well(&out);
    let article = std::fs::read_to_string(out.join("news/network-report-0/index.html")).unwrap();
    assert!(article.contains("terms--partners") && !article.contains("/partners/"), "{article}");
    // Each article names its own partners (terms without pages all have an empty URL).
    for (i, own, other) in [(0, "WASME", "UNESCO"), (12, "UNESCO", "WASME")] {
        let article = std::fs::read_to_string(out.join(format!("news/network-report-{i}/index.html"))).unwrap();
        let at = article.find("terms--partners").unwrap();
        let terms = &article[at..at + article[at..].find("</ul>").unwrap()];
        assert!(terms.contains(own) && !terms.contains(other), "article {i}: {terms}");
    }
    let check = tessera(&["check", "--root", root.to_str().unwrap()]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// The link check is part of every build: a link to a page the site does not have fails
/// `build` and `check` alike, naming the content file and line, and the template and line.
#[test]
fn build_and_check_fail_on_a_broken_link_from_content_or_template() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 3, &["en", "ar"]);
    let about = root.join("content/about.en.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, format!("{text}\nSee [the archive](/archive/) and [the team](#team).\n")).unwrap();
    let base = root.join("themes/network/templates/base.html");
    let html =
        std::fs::read_to_string(&base).unwrap().replacen("</footer>", "<a href=\"{{ lang_root }}contact/\">x</a></footer>", 1);
    std::fs::write(&base, html).unwrap();
    for command in ["build", "check"] {
        let result = tessera(&[command, "--root", root.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{command}: {err}");
        assert!(err.contains("content/about.en.md:6: error: the link `/archive/`"), "{command}: {err}");
        assert!(err.contains("content/about.en.md:6: error: the link `#team`"), "{command}: {err}");
        assert!(
            err.contains("themes/network/templates/base.html:") && err.contains("`/contact/` points to /contact/"),
            "{command}: {err}"
        );
    }
    assert!(!root.join("public").exists());
}

#[test]
fn the_new_site_builds_with_no_broken_link() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let created = tessera(&["new", root.to_str().unwrap()]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let out = tmp.path().join("public");
    generate::build_to(&root, &out);
    assert_reads_well(&out);
    let check = tessera(&["check", "--root", root.to_str().unwrap()]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn a_language_added_late_is_linked_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 24, &["en", "hi", "az", "ar", "fr"]);
    let out = tmp.path().join("public");
    generate::build_to(&root, &out);
    assert!(out.join("fr/news/index.html").is_file(), "no French news listing");
    assert_reads_well(&out);
}
