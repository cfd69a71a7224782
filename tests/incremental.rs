//! Incremental rebuilds are exact: after any sequence of edits (content, templates, locales,
//! static files, deletes, renames, new pages) the updated in-memory site equals a fresh build of
//! the same files, byte for byte.

mod common;
use common::*;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use tessera::build::{Session, UpdateKind, build_site};

#[derive(Debug, Clone)]
enum Edit {
    Body {
        page: usize,
        word: String,
    },
    Title {
        page: usize,
        word: String,
    },
    Template {
        which: usize,
        word: String,
    },
    Locale {
        lang: usize,
        word: String,
    },
    Static {
        word: String,
    },
    Delete {
        page: usize,
    },
    Rename {
        page: usize,
    },
    Create {
        word: String,
    },
    BreakYaml {
        page: usize,
    },
    /// Front matter keys removed, added and changed: the fallbacks of a page without them
    /// must be the same after an update as in a fresh build.
    RemoveTitle {
        page: usize,
    },
    SetPlace {
        page: usize,
        word: String,
    },
    SetDate {
        page: usize,
        day: u8,
    },
    SetTranslationKey {
        page: usize,
        word: String,
    },
    SetTags {
        page: usize,
        word: String,
    },
    SetLocalised {
        page: usize,
        word: String,
    },
}

/// `text` with the front matter line `key: ...` replaced by `line` (or removed when `None`),
/// or `line` added at the top when the key is not there.
fn set_key(text: &str, key: &str, line: Option<String>) -> String {
    let prefix = format!("{key}:");
    let (front, body) = text.strip_prefix("---\n").and_then(|r| r.split_once("\n---\n")).expect("front matter");
    let mut lines: Vec<String> = front.lines().filter(|l| !l.starts_with(&prefix)).map(str::to_string).collect();
    if let Some(line) = line {
        lines.insert(0, line);
    }
    format!("---\n{}\n---\n{body}", lines.join("\n"))
}

const LANGS: [&str; 4] = ["en", "hi", "az", "ar"];

fn pages(root: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/news"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('_'))
        .map(|e| e.into_path())
        .collect();
    pages.sort();
    pages
}

/// Applies `edit` on disk and returns the paths it touched.
fn apply(root: &Path, edit: &Edit) -> Vec<PathBuf> {
    let pages = pages(root);
    let pick = |i: usize| pages[i % pages.len()].clone();
    match edit {
        Edit::Body { page, word } => {
            let p = pick(*page);
            let text = read(&p);
            std::fs::write(&p, format!("{text}\n{word} {word}.\n")).unwrap();
            vec![p]
        }
        Edit::Title { page, word } => {
            let p = pick(*page);
            let text = read(&p).replacen("title: ", &format!("title: {word} "), 1);
            std::fs::write(&p, text).unwrap();
            vec![p]
        }
        Edit::Template { which, word } => {
            let name = ["page.html", "base.html", "index.html"][which % 3];
            let p = root.join("themes/mini/templates").join(name);
            let anchor = if name == "base.html" { "<main>" } else { "{% block content %}" };
            let text = read(&p).replacen(anchor, &format!("{anchor}<!-- {word} -->"), 1);
            std::fs::write(&p, text).unwrap();
            vec![p]
        }
        Edit::Locale { lang, word } => {
            let p = root.join("themes/mini/locales").join(LANGS[lang % 4]).join("main.ftl");
            let text = read(&p);
            let text = match text.split_once('\n') {
                Some((first, rest)) => format!("{first} {word}\n{rest}"),
                None => text,
            };
            std::fs::write(&p, text).unwrap();
            vec![p]
        }
        Edit::Static { word } => {
            let p = root.join("themes/mini/static/style.css");
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, format!("/* {word} */ body {{ color: #123; }}")).unwrap();
            vec![p]
        }
        Edit::Delete { page } => {
            if pages.len() < 3 {
                return vec![];
            }
            let p = pick(*page);
            std::fs::remove_file(&p).unwrap();
            vec![p]
        }
        Edit::Rename { page } => {
            let p = pick(*page);
            let name = p.file_name().unwrap().to_string_lossy().replacen('.', "-moved.", 1);
            let to = p.with_file_name(name);
            std::fs::rename(&p, &to).unwrap();
            vec![p, to]
        }
        Edit::Create { word } => {
            let p = root.join(format!("content/news/{word}.az.md"));
            std::fs::write(&p, format!("---\ntitle: {word}\ndate: 2023-05-0{}\n---\nNew {word}.\n", word.len() % 9 + 1)).unwrap();
            vec![p]
        }
        Edit::BreakYaml { page } => {
            let p = pick(*page);
            let text = read(&p).replacen("---\n", "---\nbroken: [\n", 1);
            std::fs::write(&p, text).unwrap();
            vec![p]
        }
        Edit::RemoveTitle { page } => edit_key(&pick(*page), "title", None),
        Edit::SetPlace { page, word } => edit_key(&pick(*page), "place", Some(format!("place: {word}"))),
        Edit::SetDate { page, day: 0 } => edit_key(&pick(*page), "date", None),
        Edit::SetDate { page, day } => edit_key(&pick(*page), "date", Some(format!("date: 2024-10-{day:02}"))),
        Edit::SetTranslationKey { page, word } => {
            let p = pick(*page);
            // Unique per file, so two pages of one language never share a key.
            let stem = p.file_stem().unwrap().to_string_lossy().replace('.', "-");
            edit_key(&p, "translation_key", Some(format!("translation_key: {word}-{stem}")))
        }
        Edit::SetTags { page, word } => edit_key(&pick(*page), "taxonomies", Some(format!("taxonomies: {{tags: [{word}]}}"))),
        Edit::SetLocalised { page, word } => {
            let line = format!("localised: {{hi: {{title: {word}, summary: {word} {word}}}, az: {{title: {word}}}}}");
            edit_key(&pick(*page), "localised", Some(line))
        }
    }
}

fn edit_key(p: &Path, key: &str, line: Option<String>) -> Vec<PathBuf> {
    std::fs::write(p, set_key(&read(p), key, line)).unwrap();
    vec![p.to_path_buf()]
}

/// Undoes a broken front matter so the site builds again.
fn repair(root: &Path) -> Vec<PathBuf> {
    let mut touched = vec![];
    for p in pages(root) {
        let text = read(&p);
        if text.contains("broken: [\n") {
            std::fs::write(&p, text.replace("broken: [\n", "")).unwrap();
            touched.push(p);
        }
    }
    touched
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let word = "[a-z]{3,8}";
    prop_oneof![
        4 => (0..20usize, word).prop_map(|(page, word)| Edit::Body { page, word }),
        2 => (0..20usize, word).prop_map(|(page, word)| Edit::Title { page, word }),
        2 => (0..3usize, word).prop_map(|(which, word)| Edit::Template { which, word }),
        2 => (0..4usize, word).prop_map(|(lang, word)| Edit::Locale { lang, word }),
        1 => word.prop_map(|word| Edit::Static { word }),
        1 => (0..20usize).prop_map(|page| Edit::Delete { page }),
        1 => (0..20usize).prop_map(|page| Edit::Rename { page }),
        1 => word.prop_map(|word| Edit::Create { word }),
        1 => (0..20usize).prop_map(|page| Edit::BreakYaml { page }),
        1 => (0..20usize).prop_map(|page| Edit::RemoveTitle { page }),
        1 => (0..20usize, word).prop_map(|(page, word)| Edit::SetPlace { page, word }),
        1 => (0..20usize, 0..28u8).prop_map(|(page, day)| Edit::SetDate { page, day }),
        1 => (0..20usize, word).prop_map(|(page, word)| Edit::SetTranslationKey { page, word }),
        1 => (0..20usize, word).prop_map(|(page, word)| Edit::SetTags { page, word }),
        1 => (0..20usize, word).prop_map(|(page, word)| Edit::SetLocalised { page, word }),
    ]
}

/// A taxonomy with term feeds (no term pages: the fixture's theme has no taxonomy templates),
/// and with `stand_ins`, every article listed in every language.
fn network_settings(root: &Path, stand_ins: bool) {
    let config = root.join("site.yaml");
    let mut text = read(&config).replace("missing_translation: hide\n", "");
    text.push_str("taxonomies:\n  - {name: tags, render: false, feed: true}\n");
    text.push_str(if stand_ins { "missing_translation: notice\n" } else { "missing_translation: hide\n" });
    std::fs::write(config, text).unwrap();
}

fn assert_same_as_fresh_build(session: &Session, root: &Path) {
    let fresh = build_site(root, None, false).unwrap_or_else(|e| panic!("fresh build failed: {e}"));
    let served = &session.built.output;
    let left: Vec<&String> = served.files.keys().collect();
    let right: Vec<&String> = fresh.output.files.keys().collect();
    assert_eq!(left, right, "different sets of files");
    for (path, bytes) in &fresh.output.files {
        assert!(
            served.files[path] == *bytes,
            "{path} differs:\n--- incremental\n{}\n--- fresh\n{}",
            String::from_utf8_lossy(&served.files[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    assert_eq!(served.copies, fresh.output.copies);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn incremental_updates_equal_a_fresh_build(
        edits in proptest::collection::vec(edit_strategy(), 1..6),
        stand_ins in any::<bool>(),
    ) {
        let (_tmp, root) = copy_fixture("localised");
        network_settings(&root, stand_ins);
        let mut session = Session::start(&root, None, false).unwrap();
        for edit in &edits {
            let touched = apply(&root, edit);
            let result = session.update(&touched);
            if matches!(edit, Edit::BreakYaml { .. }) {
                prop_assert!(result.is_err(), "a broken page must fail the update");
                let fixed = repair(&root);
                session.update(&fixed).unwrap();
            } else if let Err(e) = result {
                // Some edits leave a site no build takes (a renamed page, out of its translation
                // group, loses its date: the templates need one); a fresh build fails as well.
                prop_assert!(build_site(&root, None, false).is_err(), "{edit:?}: the update failed, a fresh build does not: {e}");
                return Ok(());
            }
        }
        assert_same_as_fresh_build(&session, &root);
    }
}

#[test]
fn editing_one_body_renders_only_what_shows_it() {
    let (_tmp, root) = copy_fixture("localised");
    let mut session = Session::start(&root, None, false).unwrap();
    let total = session.built.output.files.len();
    let p = root.join("content/news/report.hi.md");
    std::fs::write(&p, read(&p).replace("Report text in hi.", "Changed report text in hi.")).unwrap();
    let update = session.update(&[p]).unwrap();
    assert_eq!(update.kind, UpdateKind::Page);
    // The page itself and the Hindi listings that show it (news section and home).
    assert!(update.changed.contains(&"hi/news/report/index.html".to_string()), "{update:?}");
    assert!(update.rendered < total / 3, "rendered {} of {total}", update.rendered);
    // (The search index covers every language: its files change too.)
    assert!(update.changed.iter().all(|p| p.starts_with("hi/") || p.starts_with("pagefind/")), "{update:?}");
    assert_same_as_fresh_build(&session, &root);
}

/// A new title re-renders only what shows the page (its listings, feeds and the page itself),
/// and when it moves the page among others of the same date, what shows those pages too.
#[test]
fn a_new_title_renders_only_what_shows_it_even_when_it_reorders_pages() {
    let (_tmp, root) = copy_fixture("localised");
    let mut session = Session::start(&root, None, false).unwrap();
    let total = session.built.output.files.len();
    let p = root.join("content/news/report.hi.md");
    // The report's translations share its date: "Report ar" < "Report en" < "Report hi …".
    std::fs::write(&p, read(&p).replace("title: Report hi", "title: Report hi, updated")).unwrap();
    let update = session.update(std::slice::from_ref(&p)).unwrap();
    assert_eq!(update.kind, UpdateKind::Page, "{update:?}");
    assert!(update.rendered < total / 3, "rendered {} of {total}", update.rendered);
    assert!(update.changed.contains(&"hi/news/report/index.html".to_string()), "{update:?}");
    assert_same_as_fresh_build(&session, &root);

    // Now first of its date: the listings that show the report change order.
    std::fs::write(&p, read(&p).replace("title: Report hi, updated", "title: Report aa")).unwrap();
    let update = session.update(std::slice::from_ref(&p)).unwrap();
    assert_eq!(update.kind, UpdateKind::Page, "{update:?}");
    assert!(update.rendered < total / 3, "rendered {} of {total}", update.rendered);
    assert!(update.changed.contains(&"hi/news/report/index.html".to_string()), "{update:?}");
    assert_same_as_fresh_build(&session, &root);
}

#[test]
fn a_locale_edit_renders_only_that_language() {
    let (_tmp, root) = copy_fixture("localised");
    let mut session = Session::start(&root, None, false).unwrap();
    let p = root.join("themes/mini/locales/ar/main.ftl");
    std::fs::write(&p, read(&p).replace("site-title = الشبكة", "site-title = شبكتنا")).unwrap();
    let update = session.update(&[p]).unwrap();
    assert_eq!(update.kind, UpdateKind::Locales);
    assert!(
        !update.changed.is_empty() && update.changed.iter().all(|p| p.starts_with("ar/") || p.starts_with("pagefind/")),
        "{update:?}"
    );
    assert_same_as_fresh_build(&session, &root);
}

#[test]
fn editor_temp_files_are_ignored() {
    let (_tmp, root) = copy_fixture("localised");
    let mut session = Session::start(&root, None, false).unwrap();
    for name in [".summit.en.md.swp", "summit.en.md~", "4913", ".#summit.en.md"] {
        let p = root.join("content/news").join(name);
        std::fs::write(&p, "junk").unwrap();
        let update = session.update(std::slice::from_ref(&p)).unwrap();
        assert_eq!(update.kind, UpdateKind::None, "{name}");
        std::fs::remove_file(&p).unwrap();
    }
}

/// What `tessera build` said it rendered: `Some(n)` when it took the other outputs from the
/// last build's output folder.
fn rendered_again(out: &std::process::Output) -> Option<usize> {
    let text = stdout(out);
    let (_, after) = text.split_once(": ")?;
    after.split_once(" rendered again")?.0.parse().ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// `tessera build` run again after edits renders only what the edits can change (after a
    /// body edit, only what shows the page) and writes what a first build writes.
    #[test]
    fn builds_after_edits_equal_a_fresh_build(
        edits in proptest::collection::vec(edit_strategy(), 1..5),
        stand_ins in any::<bool>(),
    ) {
        let (_tmp, root) = copy_fixture("localised");
        network_settings(&root, stand_ins);
        settle();
        build(&root, &[]);
        let total = snapshot(&root.join("public")).iter().filter(|(p, _)| p.ends_with(".html")).count();
        apply(&root, &Edit::Body { page: edits.len(), word: "first".into() });
        let out = build(&root, &[]);
        prop_assert!(rendered_again(&out).is_some_and(|n| n < total / 3), "{}", stdout(&out));
        for edit in &edits {
            apply(&root, edit);
            let out = tessera(&["build", "--root", root.to_str().unwrap()]);
            if matches!(edit, Edit::BreakYaml { .. }) {
                prop_assert!(!out.status.success(), "a broken page must fail the build");
                repair(&root);
                build(&root, &[]);
                continue;
            }
            if !out.status.success() {
                // As in `incremental_updates_equal_a_fresh_build`: then a fresh build fails too.
                prop_assert!(build_site(&root, None, false).is_err(), "{edit:?}: {}", stderr(&out));
                return Ok(());
            }
        }
        assert_output_same_as_fresh_build(&root);
    }
}

/// A link to an element of another page is checked again when only that page is rendered
/// again: removing the heading it points to fails the build, naming the page with the link.
#[test]
fn a_fragment_link_into_a_page_rendered_again_is_checked() {
    let (_tmp, root) = copy_fixture("localised");
    let target = root.join("content/news/report.en.md");
    let linking = root.join("content/news/summit.en.md");
    std::fs::write(&target, read(&target) + "\n## Budget lines\n\nThe figures.\n").unwrap();
    std::fs::write(&linking, read(&linking) + "\nSee [the budget](@/news/report.en.md#budget-lines).\n").unwrap();
    settle();
    build(&root, &[]);

    std::fs::write(&target, read(&target).replace("The figures.", "The new figures.")).unwrap();
    let out = build(&root, &[]);
    assert!(rendered_again(&out).is_some(), "{}", stdout(&out));
    assert_output_same_as_fresh_build(&root);

    std::fs::write(&target, read(&target).replace("## Budget lines", "## Costs")).unwrap();
    let out = tessera(&["build", "--root", root.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stderr(&out).contains("content/news/summit.en.md"), "{}", stderr(&out));
    assert!(stderr(&out).contains("#budget-lines"), "{}", stderr(&out));
}

/// A site where many articles share a date, listings run over several pages, tags have pages
/// of their own, untranslated articles have stand-ins, and every article shows the three
/// latest (`get_section` with a limit): a new title reorders pages in all of them.
fn same_date_site(root: &Path) {
    let t = |name: &str, text: &str| {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    t(
        "site.yaml",
        "base_url: https://example.org/\ntitle: Same date\ndefault_language: en\npaginate_by: 2\nsearch: false\nmissing_translation: notice\ntaxonomies:\n  - name: tags\nlanguages:\n  - {code: en, name: English}\n  - {code: hi, name: Hindi}\n",
    );
    for lang in ["en", "hi"] {
        t(&format!("content/_index.{lang}.md"), "---\ntitle: Home\n---\n");
        t(&format!("content/news/_index.{lang}.md"), "---\ntitle: News\n---\n");
    }
    for i in 0..12 {
        for lang in ["en", "hi"].into_iter().filter(|l| *l == "en" || i % 3 != 0) {
            let text = format!(
                "---\ntitle: \"T{i:02} {lang}\"\ndate: 2024-01-0{}\ntaxonomies:\n  tags: [t{}]\n---\nText {i}.\n",
                1 + i % 3,
                i % 2
            );
            t(&format!("content/news/a{i}.{lang}.md"), &text);
        }
    }
    let list = "<!doctype html><title>{{ section.title }}</title>{% for p in paginator.pages %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}{{ paginator.next }}";
    t("templates/section.html", list);
    t("templates/index.html", list);
    t(
        "templates/page.html",
        "<!doctype html><title>{{ page.title }}</title>{% set latest = get_section(path=\"news\", limit=3) %}{% for p in latest.pages %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}",
    );
    t(
        "templates/taxonomy_list.html",
        "<!doctype html><title>Tags</title>{% for t in terms %}<a href=\"{{ t.url }}\">{{ t.name }}</a>{% endfor %}",
    );
    t(
        "templates/taxonomy_term.html",
        "<!doctype html><title>{{ term.name }}</title>{% for p in paginator.pages %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}{{ paginator.next }}",
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// New titles that move pages among others of the same date patch the served site (no
    /// whole rebuild), which stays byte for byte a fresh build.
    #[test]
    fn new_titles_that_reorder_pages_patch_the_site_exactly(
        edits in proptest::collection::vec((0..12usize, "[A-Za-z]{1,5}", any::<bool>()), 1..5),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        same_date_site(&root);
        let mut session = Session::start(&root, None, false).unwrap();
        let total = session.built.output.files.len();
        for (i, word, prefix) in &edits {
            let p = root.join(format!("content/news/a{i}.en.md"));
            let text = read(&p);
            let old = text.lines().find(|l| l.starts_with("title:")).unwrap().to_string();
            let new = if *prefix { old.replacen("title: \"", &format!("title: \"{word} "), 1) } else { format!("title: \"{word}\"") };
            std::fs::write(&p, text.replacen(&old, &new, 1)).unwrap();
            let update = session.update(std::slice::from_ref(&p)).unwrap();
            prop_assert_eq!(update.kind, UpdateKind::Page, "{:?}", update);
            prop_assert!(update.rendered < total, "rendered {} of {total}", update.rendered);
        }
        assert_same_as_fresh_build(&session, &root);
    }
}
