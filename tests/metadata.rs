//! Head metadata per page kind, read from built pages: JSON-LD `NewsArticle` only on articles,
//! `Organization` on partner pages, `WebSite` with a `SearchAction` on each home; stand-ins
//! with canonical and og:url agreeing and no JSON-LD; descriptions falling back to the summary;
//! absolute og:image URLs for bundle-relative, root-relative and absolute images.

mod common;
use common::{copy_dir, tessera};
use scraper::{Html, Selector};
use std::path::Path;

fn build(root: &Path, out: &Path) {
    let result = tessera(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
}

fn doc(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&Selector::parse(selector).unwrap()).next().and_then(|e| e.value().attr(name)).map(str::to_string)
}

fn jsonld(doc: &Html) -> Vec<serde_json::Value> {
    let s = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    doc.select(&s).map(|e| serde_json::from_str(&e.inner_html()).expect("valid JSON-LD")).collect()
}

#[test]
fn json_ld_per_page_kind_on_the_bundled_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(Path::new(env!("CARGO_MANIFEST_DIR")), &out);
    let home = jsonld(&doc(&out.join("index.html")));
    assert_eq!(home.len(), 1);
    assert_eq!(home[0]["@type"], "WebSite");
    assert_eq!(home[0]["potentialAction"]["target"]["urlTemplate"], "https://example.org/search/?q={search_term_string}");
    let partner = jsonld(&doc(&out.join("ar/partners/wasme/index.html")));
    assert_eq!(partner[0]["@type"], "Organization");
    assert_eq!(partner[0]["url"], "https://wasmeinfo.org/");
    for plain in ["about/index.html", "search/index.html", "news/index.html", "404.html"] {
        assert!(jsonld(&doc(&out.join(plain))).is_empty(), "{plain} carries JSON-LD");
    }
    let article = doc(&out.join("news/the-2024-international-conference-of-ngos-icngo/index.html"));
    let news = jsonld(&article);
    assert_eq!((news.len(), news[0]["@type"].as_str(), news[0]["inLanguage"].as_str()), (1, Some("NewsArticle"), Some("en")));
    // No description in its front matter: the summary, as plain text cut at a word.
    let description = attr(&article, r#"meta[name="description"]"#, "content").unwrap();
    assert!(description.starts_with("New Delhi [India], January 27: The 2024") && description.ends_with('…'), "{description}");
    assert!(description.chars().count() <= 160);
    assert_eq!(attr(&article, r#"meta[property="og:description"]"#, "content").unwrap(), description);

    // Stand-ins: every stand-in says where the article is, in one voice, and claims no JSON-LD.
    let mut stand_ins = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let page = doc(entry.path());
        if page.select(&Selector::parse(".stand-in").unwrap()).next().is_none() {
            continue;
        }
        stand_ins += 1;
        assert_eq!(attr(&page, r#"link[rel="canonical"]"#, "href"), attr(&page, r#"meta[property="og:url"]"#, "content"));
        assert!(jsonld(&page).is_empty(), "{}", entry.path().display());
    }
    assert!(stand_ins >= 11, "{stand_ins} stand-ins");
}

#[test]
fn og_image_is_absolute_whatever_the_image_path() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken/_base")), &root);
    std::fs::create_dir_all(root.join("content/news/bundle")).unwrap();
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    // SVG, used as it is (raster images are resized, see tests/images.rs).
    std::fs::write(root.join("static/img/b.svg"), b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    std::fs::write(root.join("content/news/bundle/photo.svg"), b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
    let page = |title: &str, image: &str| format!("---\ntitle: {title}\ndate: 2024-01-01\nimage: {image}\n---\nText.\n");
    std::fs::write(root.join("content/news/bundle/index.en.md"), page("Bundle", "photo.svg")).unwrap();
    std::fs::write(root.join("content/news/rooted.en.md"), page("Rooted", "/img/b.svg")).unwrap();
    std::fs::write(root.join("content/news/remote.en.md"), page("Remote", "https://cdn.example.net/c.jpg")).unwrap();
    let base = std::fs::read_to_string(root.join("templates/base.html")).unwrap();
    let head = "{% if page is defined and page.image_url %}<meta property=\"og:image\" content=\"{{ page.image_url }}\">{% endif %}\n</head>";
    std::fs::write(root.join("templates/base.html"), base.replace("</head>", head)).unwrap();
    let out = tmp.path().join("public");
    build(&root, &out);
    for (path, expected) in [
        ("news/bundle/index.html", "https://example.org/news/bundle/photo.svg"),
        ("news/rooted/index.html", "https://example.org/img/b.svg"),
        ("news/remote/index.html", "https://cdn.example.net/c.jpg"),
    ] {
        assert_eq!(attr(&doc(&out.join(path)), r#"meta[property="og:image"]"#, "content").as_deref(), Some(expected), "{path}");
    }
}

/// Every page's og:locale is the locale its dates are written in: `en` pages say en_US and write
/// "December 22, 2024"; the others their territory (Arabic: ar_AR, the generic Arabic of Open Graph).
#[test]
fn og_locale_and_dates_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(Path::new(env!("CARGO_MANIFEST_DIR")), &out);
    let article = doc(&out.join("news/the-2024-international-conference-of-ngos-icngo/index.html"));
    assert_eq!(attr(&article, r#"meta[property="og:locale"]"#, "content").as_deref(), Some("en_US"));
    let date = article.select(&Selector::parse(".meta time").unwrap()).next().unwrap().text().collect::<String>();
    assert!(date.starts_with("January ") || date.starts_with("December "), "US-style date: {date}");
    for (lang, locale) in [("hi", "hi_IN"), ("az", "az_AZ"), ("ar", "ar_AR")] {
        let home = doc(&out.join(format!("{lang}/index.html")));
        assert_eq!(attr(&home, r#"meta[property="og:locale"]"#, "content").as_deref(), Some(locale), "{lang}");
    }
}
