//! Localisation on a four-language fixture: direction, Fluent plurals, CLDR dates, no bidi
//! isolation marks, reciprocal hreflang, missing-translation modes, warnings and coverage.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn built(mode: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = copy_fixture("localised");
    let config = read(root.join("site.yaml")).replace("missing_translation: hide", &format!("missing_translation: {mode}"));
    std::fs::write(root.join("site.yaml"), config).unwrap();
    build(&root, &[]);
    (tmp, root)
}

fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start).skip(1).map(|s| &s[..s.find(end).unwrap()]).collect()
}

#[test]
fn only_arabic_pages_are_right_to_left() {
    let (_tmp, root) = built("hide");
    for file in html_files(&root.join("public")) {
        let html = read(&file);
        let rel = file.strip_prefix(root.join("public")).unwrap().to_string_lossy().to_string();
        let rtl = html.contains(r#"dir="rtl""#);
        assert_eq!(rtl, rel.starts_with("ar/"), "{rel}");
    }
}

#[test]
fn plural_forms_follow_cldr_categories() {
    let (_tmp, root) = built("hide");
    let ar = read(root.join("public/ar/news/summit/index.html"));
    assert_eq!(between(&ar, "<li>", "</li>"), ["لا مقالات", "مقال واحد", "مقالان", "3 مقالات", "11 مقالًا", "100 مقال"]);
    let hi = read(root.join("public/hi/news/summit/index.html"));
    // CLDR: Hindi 0 and 1 are `one`, 2 is `other`.
    assert_eq!(&between(&hi, "<li>", "</li>")[..3], ["0 लेख (एक)", "1 लेख (एक)", "2 लेख (अनेक)"]);
}

#[test]
fn long_dates_are_cldr_dates_in_each_language() {
    let (_tmp, root) = built("hide");
    let expected = [
        ("news/summit", "December 22, 2024"),
        ("hi/news/summit", "22 दिसंबर, 2024"),
        ("az/news/summit", "22 dekabr 2024"),
        ("ar/news/summit", "22 ديسمبر 2024"),
    ];
    for (path, date) in expected {
        let html = read(root.join(format!("public/{path}/index.html")));
        assert_eq!(between(&html, r#"<time class="long" datetime="2024-12-22">"#, "</time>"), [date], "{path}");
    }
}

#[test]
fn no_bidi_isolation_marks_anywhere() {
    let (_tmp, root) = built("fallback");
    for file in walkdir::WalkDir::new(root.join("public")).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file())
    {
        let text = String::from_utf8_lossy(&std::fs::read(file.path()).unwrap()).into_owned();
        assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'), "{}", file.path().display());
    }
    // The Fluent variable is really interpolated (where isolation marks would appear).
    assert!(read(root.join("public/ar/news/summit/index.html")).contains("موقع WASME"));
}

#[test]
fn hreflang_sets_are_reciprocal_and_have_x_default() {
    let (_tmp, root) = built("fallback");
    let public = root.join("public");
    let mut sets: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for file in html_files(&public) {
        let html = read(&file);
        let canonical = between(&html, r#"<link rel="canonical" href=""#, "\"");
        let links: BTreeSet<(String, String)> = between(&html, r#"<link rel="alternate" hreflang=""#, ">")
            .into_iter()
            .map(|l| {
                let (lang, rest) = l.split_once('"').unwrap();
                (lang.to_string(), rest.split('"').nth(1).unwrap().to_string())
            })
            .collect();
        if let (Some(c), false) = (canonical.first(), links.is_empty()) {
            sets.insert(c.to_string(), links);
        }
    }
    assert!(sets.len() >= 7, "{sets:?}");
    for (url, links) in &sets {
        assert!(links.iter().any(|(l, _)| l == "x-default"), "{url} lacks x-default");
        assert!(links.iter().all(|(_, u)| u.starts_with("https://example.org/")), "absolute URLs");
        assert!(links.iter().any(|(_, u)| u == url), "{url} lists itself");
        for (lang, other) in links.iter().filter(|(l, _)| l != "x-default") {
            assert_eq!(sets.get(other), Some(links), "{url} -> {lang} {other} is not reciprocal");
        }
    }
    // The Azerbaijani stand-in for the report claims no hreflang of its own.
    let report = &sets["https://example.org/news/report/"];
    assert!(!report.iter().any(|(l, _)| l == "az"), "{report:?}");
}

#[test]
fn missing_translation_hide() {
    let (_tmp, root) = built("hide");
    assert!(!root.join("public/az/news/report/index.html").exists());
    let en = read(root.join("public/news/report/index.html"));
    assert!(!en.contains(r#"hreflang="az""#), "{en}");
}

#[test]
fn missing_translation_fallback() {
    let (_tmp, root) = built("fallback");
    let az = read(root.join("public/az/news/report/index.html"));
    assert!(az.contains(r#"<html lang="az""#), "{az}");
    assert!(az.contains("Bu səhifə Azərbaycan dilində mövcud deyil."), "{az}");
    assert!(az.contains(r#"<article lang="en" dir="ltr">"#) && az.contains("Report text in en."), "{az}");
    assert!(az.contains(r#"<link rel="canonical" href="https://example.org/news/report/">"#), "{az}");
    assert!(!az.contains(r#"hreflang="az""#), "{az}");
    // Every switcher leads somewhere: the English page links to the Azerbaijani stand-in.
    let en = read(root.join("public/news/report/index.html"));
    assert!(en.contains(r#"<a class="lang" href="/az/news/report/" hreflang="az""#), "{en}");
}

#[test]
fn missing_translation_notice() {
    let (_tmp, root) = built("notice");
    let az = read(root.join("public/az/news/report/index.html"));
    assert!(az.contains("Bu səhifə Azərbaycan dilində mövcud deyil."), "{az}");
    assert!(!az.contains("Report text in en."), "a notice shows no content: {az}");
    assert!(az.contains(r#"<a href="/news/report/">Report en</a>"#), "{az}");
}

#[test]
fn misspelled_key_warns_and_strict_check_fails_with_coverage_table() {
    let (_tmp, root) = copy_fixture("localised");
    let out = build(&root, &[]);
    let err = stderr(&out);
    assert!(err.contains("warning: missing UI string `read-mroe` in language `az` (used by template `page.html`)"), "{err}");
    assert_eq!(err.matches("`read-mroe` in language `az`").count(), 1, "once per key and language: {err}");

    let out = tessera(&["check", "--strict", "--root", root.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("language") && stdout.contains("missing"), "{stdout}");
    // `footer-note` exists in the theme for every language but Azerbaijani.
    let az_row = stdout.lines().find(|l| l.starts_with("az ")).unwrap_or_default();
    assert!(az_row.split_whitespace().nth(2).is_some_and(|m| m != "0"), "{stdout}");
    let out = tessera(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn site_strings_override_theme_strings() {
    let (_tmp, root) = built("hide");
    assert!(read(root.join("public/index.html")).contains("<title>Partnership Network</title>"));
    assert!(read(root.join("public/hi/index.html")).contains("<title>नेटवर्क</title>"));
}

#[test]
fn default_language_in_subdir_sends_visitors_to_their_language() {
    let (_tmp, root) = copy_fixture("localised");
    let config =
        read(root.join("site.yaml")).replace("default_language: en", "default_language: en\ndefault_language_in_subdir: true");
    std::fs::write(root.join("site.yaml"), config).unwrap();
    build(&root, &[]);
    let index = read(root.join("public/index.html"));
    assert!(index.contains("navigator.languages"), "{index}");
    for (code, url) in [("en", "/en/"), ("hi", "/hi/"), ("az", "/az/"), ("ar", "/ar/")] {
        assert!(index.contains(&format!(r#"<a href="{url}" hreflang="{code}""#)), "{index}");
    }
    assert!(root.join("public/en/news/summit/index.html").is_file());
    // Hosts look for /404.html: the default language's 404 page is there too.
    assert_eq!(read(root.join("public/404.html")), read(root.join("public/en/404.html")));
}
