//! `tessera build` on fixture sites: URLs, languages, translations, Markdown features, drafts,
//! project-site base URLs, and what a broken site does to the previous output.

mod common;
use common::*;

#[test]
fn builds_every_language_with_pretty_urls() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let public = root.join("public");
    for path in [
        "index.html",
        "hi/index.html",
        "az/index.html",
        "ar/index.html",
        "news/summit/index.html",
        "hi/news/summit/index.html",
        "az/news/summit/index.html",
        "ar/news/summit/index.html",
        "news/page/2/index.html",
        "partners/wasme/index.html",
        "hi/partners/wasme/index.html",
        "news/visit/photo.svg",
    ] {
        assert!(public.join(path).is_file(), "missing {path}");
    }
    // The page missing in Azerbaijani is not invented there.
    assert!(public.join("hi/news/report/index.html").is_file());
    assert!(!public.join("az/news/report/index.html").exists());
}

#[test]
fn html_lang_and_direction_follow_the_page_language() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let ar = read(root.join("public/ar/news/summit/index.html"));
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#), "{ar}");
    let hi = read(root.join("public/hi/news/summit/index.html"));
    assert!(hi.contains(r#"<html lang="hi" dir="ltr">"#), "{hi}");
}

#[test]
fn translation_links_only_to_languages_that_exist() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let summit = read(root.join("public/news/summit/index.html"));
    for href in [r#"href="/hi/news/summit/""#, r#"href="/az/news/summit/""#, r#"href="/ar/news/summit/""#] {
        assert!(summit.contains(href), "{href} in {summit}");
    }
    let report = read(root.join("public/news/report/index.html"));
    assert!(report.contains(r#"href="/hi/news/report/""#));
    assert!(!report.contains(r#"/az/news/report/"#), "{report}");
}

#[test]
fn headings_keep_devanagari_and_arabic_ids_unique_per_page() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let hi = read(root.join("public/hi/news/summit/index.html"));
    assert!(hi.contains(r#"<h2 id="wasme-की-ऐतिहासिक-जीत">"#), "{hi}");
    let ar = read(root.join("public/ar/news/summit/index.html"));
    assert!(ar.contains(r#"<h2 id="شبكة-وليلي">"#), "{ar}");
    let az = read(root.join("public/az/news/summit/index.html"));
    assert!(az.contains(r#"<h2 id="iqlim-və-innovasiya">"#), "{az}");
    let en = read(root.join("public/news/summit/index.html"));
    assert!(en.contains(r#"<h2 id="historic-win">"#) && en.contains(r#"<h2 id="historic-win-1">"#), "{en}");
}

#[test]
fn footnotes_and_internal_links() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let en = read(root.join("public/news/summit/index.html"));
    assert!(en.contains(r##"<a href="#fn-vote">1</a>"##), "{en}");
    assert!(en.contains(r#"id="fn-vote""#), "{en}");
    assert!(en.contains(r#"<a href="/news/report/">report</a>"#), "{en}");
    // The same link from the Hindi page goes to the Hindi report.
    let hi = read(root.join("public/hi/news/summit/index.html"));
    assert!(hi.contains(r#"<a href="/hi/news/report/">"#), "{hi}");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    assert!(!root.join("public/news/secret/index.html").exists());
    let listing: String =
        ["public/news/index.html", "public/news/page/2/index.html"].iter().map(|p| read(root.join(p))).collect();
    assert!(!listing.contains("Secret draft"));
    build(&root, &["--drafts"]);
    assert!(root.join("public/news/secret/index.html").is_file());
}

#[test]
fn base_url_with_a_path_prefixes_every_url() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &["--base-url", "https://org.github.io/network/"]);
    let en = read(root.join("public/news/summit/index.html"));
    assert!(en.contains(r#"href="/network/hi/news/summit/""#), "{en}");
    assert!(en.contains(r#"href="https://org.github.io/network/ar/news/summit/""#), "{en}");
    assert!(en.contains(r#"<a href="/network/news/report/">report</a>"#), "{en}");
    assert!(en.contains(r#"href="/network/partners/wasme/""#), "{en}");
    // Files stay at the output root: the folder deploys as is under /network/.
    assert!(root.join("public/hi/news/summit/index.html").is_file());
    let listing = read(root.join("public/news/index.html"));
    assert!(listing.contains(r#"href="/network/news/page/2/""#), "{listing}");
    for file in walkdir::WalkDir::new(root.join("public")).into_iter().filter_map(Result::ok) {
        if file.path().extension().is_some_and(|e| e == "html") {
            let html = read(file.path());
            for cap in html.split("href=\"/").skip(1) {
                assert!(
                    cap.starts_with("network/"),
                    "unprefixed link in {}: /{}",
                    file.path().display(),
                    &cap[..cap.find('"').unwrap()]
                );
            }
        }
    }
}

#[test]
fn broken_site_reports_every_error_and_keeps_previous_output() {
    let (_tmp, root) = copy_fixture("multilingual");
    build(&root, &[]);
    let before = snapshot(&root.join("public"));

    std::fs::write(root.join("content/news/summit.az.md"), "---\ntitle: Parisdə sammit\ndate: [unclosed\n---\nBody\n").unwrap();
    std::fs::write(root.join("content/news/clash.en.md"), "---\ntitle: Clash\nslug: report\n---\nSame URL as report.\n").unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/news/summit.az.md:3:"), "bad YAML with its line: {err}");
    assert!(
        err.contains("content/news/clash.en.md:3") && err.contains("content/news/report.en.md"),
        "collision names both files: {err}"
    );
    assert_eq!(before, snapshot(&root.join("public")), "previous output changed");
}

#[test]
fn refuses_to_write_into_source_folders_or_foreign_folders() {
    let (_tmp, root) = copy_fixture("multilingual");
    for bad in [".", "content", "templates"] {
        let out = tessera(&["build", "--root", root.to_str().unwrap(), "--output", root.join(bad).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(stderr(&out).contains("refusing"), "{}", stderr(&out));
    }
    let foreign = root.join("docs");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap(), "--output", foreign.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(foreign.join("notes.txt")), "mine");
    assert!(root.join("content/news/summit.en.md").is_file());
}

#[test]
fn unknown_language_suffix_and_missing_template_are_errors() {
    let (_tmp, root) = copy_fixture("multilingual");
    std::fs::write(root.join("content/news/hello.fr.md"), "---\ntitle: Bonjour\n---\n").unwrap();
    std::fs::write(root.join("content/news/odd.en.md"), "---\ntitle: Odd\ntemplate: nope.html\n---\n").unwrap();
    std::fs::write(root.join("templates/broken.html"), "{% if %}\n").unwrap();
    let out = tessera(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("content/news/hello.fr.md") && err.contains("unknown language suffix `.fr`"), "{err}");
    assert!(err.contains("templates/broken.html:1:"), "{err}");
    assert!(err.contains("content/news/odd.en.md:1:1: error: `template: nope.html`"), "{err}");
}

/// A rebuild in which no indexed page changed reuses the last search index instead of indexing
/// every page again; an edited article gets a new index.
#[test]
fn the_search_index_is_reused_until_an_indexed_page_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    assert!(tessera(&["new", root.to_str().unwrap(), "--languages", "en,ar"]).status.success());
    let stdout = |out: std::process::Output| String::from_utf8_lossy(&out.stdout).into_owned();
    let bundle = |root: &std::path::Path| {
        snapshot(&root.join("public/pagefind"))
            .into_iter()
            .filter(|(p, _)| !p.ends_with(".js") && !p.ends_with(".css"))
            .collect::<Vec<_>>()
    };
    let first = stdout(build(&root, &[]));
    assert!(!first.contains("search index: reused"), "{first}");
    let indexed = bundle(&root);
    assert!(indexed.iter().any(|(p, _)| p.ends_with(".pf_fragment")), "no fragments in {indexed:?}");

    let second = stdout(build(&root, &[]));
    assert!(second.contains("search index: reused, no indexed page changed"), "{second}");
    assert_eq!(bundle(&root), indexed);

    let article = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().to_string_lossy().ends_with(".en.md") && !e.file_name().to_string_lossy().starts_with('_'))
        .unwrap()
        .into_path();
    std::fs::write(&article, read(&article) + "\nA word only this edit adds: zanzibarite.\n").unwrap();
    let third = stdout(build(&root, &[]));
    // Only the edited language is indexed again; the Arabic part is the one kept.
    assert!(third.contains("search index: made again for en; reused for ar"), "{third}");
    let edited = bundle(&root);
    assert_ne!(edited, indexed);
    let arabic = |files: &[(String, Vec<u8>)]| files.iter().filter(|(p, _)| p.contains("ar_")).cloned().collect::<Vec<_>>();
    assert!(!arabic(&edited).is_empty());
    assert_eq!(arabic(&edited), arabic(&indexed));
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("public/pagefind/pagefind-entry.json")).unwrap()).unwrap();
    let languages: Vec<&String> = entry["languages"].as_object().unwrap().keys().collect();
    assert_eq!(languages, ["ar", "en"]);
    let found = edited.iter().filter(|(p, _)| p.ends_with(".pf_fragment") && p.contains("en_")).count();
    assert!(found > 0);
}

/// A language larger than a part is indexed in parts: its first part in the main bundle, the
/// others each in a folder of their own, listed in `tessera-parts.json`. Every indexed page is
/// in exactly one part, and an edit indexes again only the part of the page edited: its index
/// is the one a first build makes.
#[test]
fn a_large_language_is_indexed_in_parts_and_an_edit_indexes_one_part() {
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 24, &["en", "ar"]);
    std::fs::write(root.join("site.yaml"), read(root.join("site.yaml")).replace("search: false", "search: true")).unwrap();
    let build_in = |root: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
            .env("TESSERA_TEST_SEARCH_PART_PAGES", "3")
            .args(["build", "--root", root.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let build = || build_in(&root);
    let bundle = root.join("public/pagefind");
    // Each part of `lang`: its folder (`""` for the main bundle), the URLs of its pages and the
    // names of its index files (named after their bytes), from its fragments and index.
    let parts_of = |lang: &str| -> Vec<(String, Vec<String>, Vec<String>)> {
        let listed: std::collections::BTreeMap<String, Vec<String>> =
            serde_json::from_str(&read(bundle.join("tessera-parts.json"))).unwrap();
        let mut folders = vec![String::new()];
        folders.extend(listed.get(lang).cloned().unwrap_or_default());
        folders
            .into_iter()
            .map(|folder| {
                let entry: serde_json::Value =
                    serde_json::from_str(&read(bundle.join(&folder).join("pagefind-entry.json"))).unwrap();
                if !folder.is_empty() {
                    assert_eq!(entry["languages"].as_object().unwrap().keys().collect::<Vec<_>>(), [lang], "{folder}");
                }
                let urls = std::fs::read_dir(bundle.join(&folder).join("fragment"))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{lang}_")))
                    .map(|p| {
                        let mut json = String::new();
                        std::io::Read::read_to_string(
                            &mut flate2::read::GzDecoder::new(std::fs::File::open(p).unwrap()),
                            &mut json,
                        )
                        .unwrap();
                        let fragment: serde_json::Value = serde_json::from_str(json.trim_start_matches("pagefind_dcd")).unwrap();
                        fragment["url"].as_str().unwrap().to_string()
                    })
                    .collect();
                let mut index: Vec<String> = std::fs::read_dir(bundle.join(&folder).join("index"))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|name| name.starts_with(&format!("{lang}_")))
                    .collect();
                index.sort();
                (folder, urls, index)
            })
            .collect()
    };
    // The pages Pagefind should index in `lang`: those marking their body, by URL.
    let indexed = |lang: &str| -> std::collections::BTreeSet<String> {
        walkdir::WalkDir::new(root.join("public"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html") && !e.path().starts_with(&bundle))
            .filter(|e| {
                let html = read(e.path());
                html.contains("data-pagefind-body") && html.contains(&format!("<html lang=\"{lang}\""))
            })
            .map(|e| {
                let rel = e.path().strip_prefix(root.join("public")).unwrap().to_string_lossy().replace('\\', "/");
                format!("/{}", rel.strip_suffix("index.html").unwrap_or(&rel))
            })
            .collect()
    };
    let each_page_in_one_part = |lang: &str| {
        let parts = parts_of(lang);
        let urls: Vec<&String> = parts.iter().flat_map(|(_, urls, _)| urls).collect();
        let unique: std::collections::BTreeSet<String> = urls.iter().map(|u| u.to_string()).collect();
        assert_eq!(urls.len(), unique.len(), "{lang}: a page is in two parts: {parts:?}");
        assert_eq!(unique, indexed(lang), "{lang}: {parts:?}");
        assert!(parts.len() >= 4, "{lang} should be in parts: {parts:?}");
        parts
    };

    // Sources older than the clock's tick are trusted, so the rebuild below keeps the pages it
    // does not render again, and takes what they say of themselves from the first build.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let first = build();
    assert!(first.contains("built "), "{first}");
    let before = each_page_in_one_part("en");
    each_page_in_one_part("ar");

    let article = root
        .join("content/news")
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-4.en.md"))
        .unwrap();
    std::fs::write(&article, read(&article) + "\nA word only this edit adds: zanzibarite.\n").unwrap();
    let second = build();
    assert!(second.contains("rendered again, the other"), "{second}");
    let line = second.lines().find(|l| l.starts_with("search index:")).unwrap_or_else(|| panic!("{second}"));
    let others = before.len() - 1;
    assert!(
        line.starts_with("search index: made again for en ")
            && line.ends_with(&format!("; reused for ar, {others} other parts of en")),
        "{line}"
    );
    let after = each_page_in_one_part("en");
    let changed: Vec<&String> = before.iter().zip(&after).filter(|(b, a)| b != a).map(|(b, _)| &b.0).collect();
    assert_eq!(changed.len(), 1, "only the edited page's part changes: {changed:?}");
    let url = format!("/news/{}/", article.file_name().unwrap().to_string_lossy().trim_end_matches(".en.md"));
    let holder = after.iter().find(|(_, urls, _)| urls.contains(&url)).unwrap_or_else(|| panic!("{url} in no part: {after:?}"));
    assert!(changed.iter().all(|folder| **folder == holder.0), "{changed:?} changed, the edit was in {:?}", holder.0);

    let fresh = tmp.path().join("fresh");
    copy_dir(&root, &fresh);
    for generated in ["public", ".tessera-spare-public", ".tessera-cache"] {
        std::fs::remove_dir_all(fresh.join(generated)).unwrap();
    }
    build_in(&fresh);
    let (rebuilt, made) = (snapshot(&bundle), snapshot(&fresh.join("public/pagefind")));
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&rebuilt), names(&made));
    assert!(rebuilt == made, "the rebuilt index differs from a first build's");
}

/// A rebuild from the same sources, into an output folder still as the last build left it, has
/// nothing to write and says so without rendering. Any change counts: to the output (a file
/// edited or removed there), to the options, to a source; and a source changed too recently to
/// trust its stamp leaves no record, so the build after it renders again.
#[test]
fn a_rebuild_from_unchanged_sources_writes_nothing() {
    let (_tmp, root) = copy_fixture("multilingual");
    let public = root.join("public");
    let skipped = |extra: &[&str]| stdout(&build(&root, extra)).contains("nothing changed since the last build");
    settle();
    assert!(!skipped(&[]), "a first build renders");
    let about = read(public.join("about/index.html"));
    assert!(skipped(&[]), "nothing changed, yet the site was rendered again");

    std::fs::write(public.join("about/index.html"), "edited in the output").unwrap();
    assert!(!skipped(&[]), "a file edited in the output folder went unnoticed");
    assert_eq!(read(public.join("about/index.html")), about);
    std::fs::remove_file(public.join("news/visit/photo.svg")).unwrap();
    assert!(!skipped(&[]), "a copied file removed from the output folder went unnoticed");
    assert!(public.join("news/visit/photo.svg").is_file());
    assert!(skipped(&[]));
    assert!(!skipped(&["--base-url", "https://example.net/"]), "other options, other output");
    assert!(read(public.join("about/index.html")).contains("https://example.net/"));

    let page = root.join("content/about/index.en.md");
    std::fs::write(&page, read(&page).replace("\n---\n", "\n---\nAn edit.\n\n")).unwrap();
    assert!(!skipped(&[]), "an edited page went unnoticed");
    assert!(read(public.join("about/index.html")).contains("An edit."));
    assert!(!skipped(&[]), "a page edited a moment ago is trusted by its stamp");
    settle();
    assert!(!skipped(&[]));
    assert!(skipped(&[]));
}

/// The build command makes the search index while it writes the pages: the index it writes is
/// the one a build that indexes before writing makes (as `check` and `serve` do), from nothing.
#[test]
fn the_search_index_written_beside_the_pages_is_the_one_the_build_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    assert!(tessera(&["new", root.to_str().unwrap(), "--languages", "en,ar,hi"]).status.success());
    build(&root, &[]);
    let written = snapshot(&root.join("public/pagefind"));
    std::fs::remove_dir_all(root.join(".tessera-cache")).unwrap();
    let built = tessera::build::build_site(&root, None, false).unwrap();
    let made: Vec<(String, Vec<u8>)> = built
        .output
        .files
        .iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix("pagefind/")?.to_string(), bytes.to_vec())))
        .collect();
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert!(written.iter().any(|(p, _)| p.ends_with(".pf_fragment")), "{:?}", names(&written));
    assert_eq!(names(&written), names(&made));
    assert!(written == made, "the files differ");
}
