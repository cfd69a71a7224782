//! From nothing to a deployable site, as the README tells it: `tessera new` → `build` (whose
//! link check must pass) → `check`, with the GitHub Pages workflow a valid workflow naming the
//! build; a language added late to a site, with the warnings `check` gives; host files.

mod common;
use common::{crawl, generate, tessera};
use std::path::Path;

fn run(args: &[&str]) -> (bool, String) {
    let out = tessera(args);
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn the_readme_quick_start_gives_a_site_ready_to_deploy() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("our-network");
    let root = site.to_str().unwrap();
    let (ok, out) = run(&["new", root, "--languages", "en,fr,ar"]);
    assert!(ok, "{out}");
    let (ok, out) = run(&["build", "--root", root]);
    assert!(ok, "{out}");
    let public = site.join("public");
    assert!(crawl::broken_links(&public, "https://example.org/").is_empty());
    for page in ["index.html", "fr/index.html", "ar/index.html", "fr/news/index.html", "_redirects"] {
        assert!(public.join(page).is_file(), "{page}");
    }
    let (ok, out) = run(&["check", "--root", root, "--strict"]);
    assert!(ok, "a new site has nothing left to do: {out}");

    let workflow = std::fs::read_to_string(site.join(".github/workflows/deploy.yml")).unwrap();
    let parsed: serde_json::Value = tessera::yaml::parse(&workflow, Path::new("deploy.yml"), 1).expect("valid YAML");
    let steps = parsed["jobs"]["build"]["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["run"].as_str().is_some_and(|r| r.starts_with("tessera build"))), "{workflow}");
    assert!(steps.iter().any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))));
    assert_eq!(std::fs::read_to_string(site.join(".gitignore")).unwrap(), "public/\n.tessera-spare-public/\n.tessera-cache/\n");
    assert!(site.join("README.md").is_file());
}

/// A network adds a language late: only `site.yaml` changes. The site still builds with no
/// broken link; `check` names every file to write and (for a language the theme has no UI
/// strings in) every string to translate, and `--strict` fails until they are; the menu keeps
/// About (the default language's page); the footer counts the languages.
#[test]
fn a_language_added_late_is_listed_by_check() {
    for (lang, name, theme_speaks_it) in [("fr", "Français", true), ("es", "Español", false)] {
        let tmp = tempfile::tempdir().unwrap();
        let root = generate::network_site(tmp.path(), 6, &["en", "hi", "az", "ar"]);
        let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        let added = format!("languages:\n  - {{code: {lang}, name: {name}, weight: 9, title: Network}}\n");
        std::fs::write(root.join("site.yaml"), yaml.replacen("languages:\n", &added, 1)).unwrap();
        let out = tmp.path().join("public");
        generate::build_to(&root, &out);
        assert!(crawl::broken_links(&out, "https://example.org/").is_empty(), "{lang}");
        let home = std::fs::read_to_string(out.join(format!("{lang}/index.html"))).unwrap();
        assert!(home.contains(r#"<a href="/about/">"#), "{lang}: {home}");

        let (ok, report) = run(&["check", "--root", root.to_str().unwrap()]);
        assert!(ok, "{report}");
        for expected in [
            format!("content/_index.{lang}.md: warning: missing, so this section has no title or text in `{lang}`"),
            format!("content/news/_index.{lang}.md: warning: missing"),
            "Untranslated articles (a version that exists)".to_string(),
        ] {
            assert!(report.contains(&expected), "`{expected}` not in:\n{report}");
        }
        assert_eq!(report.contains(&format!("{lang} missing: all-articles, all-news")), !theme_speaks_it, "{report}");
        if theme_speaks_it {
            assert!(home.contains("en 5 langues"), "the footer counts the languages: {home}");
        } else {
            assert!(home.contains("in 5 languages"), "English until translated, counted: {home}");
        }
        assert!(!run(&["check", "--root", root.to_str().unwrap(), "--strict"]).0);
    }
}

#[test]
fn a_base_path_warns_that_robots_txt_is_not_at_the_host_root() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(run(&["new", site.to_str().unwrap()]).0);
    let (ok, out) = run(&["build", "--root", site.to_str().unwrap(), "--base-url", "https://org.github.io/network/"]);
    assert!(ok, "{out}");
    assert!(out.contains("robots.txt is written at /network/robots.txt, where crawlers do not look"), "{out}");
    let redirects = std::fs::read_to_string(site.join("public/_redirects")).unwrap();
    assert!(
        redirects.contains("/network/ar/* /network/ar/404.html 404\n")
            && redirects.ends_with("/network/* /network/404.html 404\n"),
        "{redirects}"
    );
}
