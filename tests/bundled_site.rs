//! The bundled example site (the repository itself) builds, and its article pages show the
//! imported articles' clean text: no boilerplate, page breaks repaired, translations linked.

mod common;
use common::*;
use std::path::Path;

fn article(out: &Path, needle_in_url: &str) -> String {
    let file = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| {
            e.path().strip_prefix(out).unwrap().to_string_lossy().starts_with(needle_in_url) && e.file_name() == "index.html"
        })
        .unwrap_or_else(|| panic!("no page whose path contains {needle_in_url}"));
    read(file.path())
}

#[test]
fn bundled_site_builds_with_clean_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = tessera(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));

    let en = article(&out, "news/the-2024-international-conference-of-ngos-icngo");
    assert!(en.contains("Historic Win for WASME</h2>"), "subheading");
    assert!(en.contains("<ol>") && en.contains("<ul>"), "lists");
    assert!(!en.contains("ADVERTORIAL DISCLAIMER") && !en.contains("auto-published"), "disclaimers removed");
    assert!(en.contains("NGO-UNESCO") && en.contains("cross-border"), "real hyphens kept");
    assert!(en.contains(r#"hreflang="hi""#), "linked to its Hindi version");

    let hi = article(&out, "hi/news/wasme-");
    assert!(hi.contains(r#"<html lang="hi" dir="ltr">"#));
    assert!(hi.contains("WASME की ऐतिहासिक जीत</h2>"), "Hindi subheading");

    let az = article(&out, "az/news/asan-xidmət");
    assert!(az.contains("Salim bin Məhəmməd") && az.contains("nazirliklərinin"), "page-break joins");
    assert!(!az.contains("Sa-\n") && !az.contains("na-\n"));
    assert!(az.contains("Sessiyada BMT-nin"), "sentence cut by a page break rejoined");

    let ar = article(&out, "ar/news/لقاء-جهوي");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(!ar.contains("مساحة اعلانية") && !ar.contains("شارك المقال"), "ad slots and share bar removed");

    let volubilis = article(&out, "ar/news/نظمت-شبكة-وليلي");
    assert!(volubilis.matches("<li>").count() >= 6, "bullets became a list");
}

/// The partner directory is alphabetical as each language sorts: in Azerbaijani `Ç` follows
/// `C` (not `Z`), `I` is dotless and comes before `K`, and `Q` follows `K`.
#[test]
fn partner_directory_follows_the_language_alphabet() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = tessera(&["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let html = read(out.join("az/partners/index.html"));
    let names: Vec<&str> =
        html.split("partner-card__title\"><a href=\"").skip(1).filter_map(|s| s.split('>').nth(1)?.split('<').next()).collect();
    let at = |prefix: &str| names.iter().position(|n| n.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix} in {names:?}"));
    assert!(
        at("Beynəlxalq") < at("Çin")
            && at("Çin") < at("ICESCO")
            && at("ICESCO") < at("Kooperasiya")
            && at("Kooperasiya") < at("QHT"),
        "{names:?}"
    );
    assert!(at("QHT") < at("SESRIC") && at("Volubilis") < at("WASME"), "{names:?}");
}
