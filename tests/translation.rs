//! The translation workflow on a real site: `translate --to` starts a draft that builds and is
//! not published, an edit of the original makes the translation stale (listed by `check` with
//! the words that changed, noticed on the page), `--mark-current` clears it.

mod common;
use common::server::Server;
use common::{copy_dir, generate, tessera};
use std::path::{Path, PathBuf};

const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken/_base");

fn run(root: &Path, args: &[&str]) -> (bool, String) {
    let mut all = args.to_vec();
    all.extend(["--root", root.to_str().unwrap()]);
    let out = tessera(&all);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// The small test site, or with `theme` a generated site on the bundled theme; both with an
/// English-only report.
fn site(dir: &Path, theme: bool) -> PathBuf {
    let root = if theme {
        generate::network_site(dir, 2, &["en", "ar"])
    } else {
        let root = dir.join("site");
        copy_dir(Path::new(BASE), &root);
        root
    };
    std::fs::write(
        root.join("content/news/report.en.md"),
        "---\ntitle: Annual report\ndate: 2024-06-01\n---\nThe network grew to 200 members.\n\nIt met in Rabat.\n",
    )
    .unwrap();
    root
}

#[test]
fn a_translation_is_started_published_made_stale_and_caught_up() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path(), true);

    let (ok, out) = run(&root, &["translate", "content/news/report.en.md", "--to", "ar"]);
    assert!(ok, "{out}");
    let draft = std::fs::read_to_string(root.join("content/news/report.ar.md")).unwrap();
    assert!(draft.contains("draft: true") && draft.contains("review: [translation]"), "{draft}");
    assert!(draft.contains("translated_from: {lang: en, version: "), "{draft}");
    assert_eq!(draft.matches(tessera::translation::TO_TRANSLATE).count(), 2, "{draft}");
    let (ok, out) = run(&root, &["build"]);
    assert!(ok, "{out}");
    let stand_in = std::fs::read_to_string(root.join("public/ar/news/report/index.html")).unwrap();
    assert!(!stand_in.contains("translate: replace"), "a draft is not published, the stand-in is: {stand_in}");
    let (ok, out) = run(&root, &["check"]);
    assert!(ok && out.contains("content/news/report.ar.md: 2 of 2 paragraphs to translate"), "{out}");
    assert!(!run(&root, &["check", "--strict"]).0, "a translation in progress fails --strict");

    // The translator finishes: the text is Arabic, the draft line and the markers are gone.
    let done = draft
        .replace("draft: true\n", "")
        .replace("review: [translation]\n", "")
        .replace(&format!("{}\n", tessera::translation::TO_TRANSLATE), "")
        .replace("The network grew to 200 members.", "نمت الشبكة إلى 200 عضو.")
        .replace("It met in Rabat.", "اجتمعت في الرباط.");
    std::fs::write(root.join("content/news/report.ar.md"), done).unwrap();
    let (ok, out) = run(&root, &["build"]);
    assert!(ok, "{out}");
    let page = std::fs::read_to_string(root.join("public/ar/news/report/index.html")).unwrap();
    assert!(page.contains("نمت الشبكة") && !page.contains("حُدِّث النص الأصلي"), "{page}");

    // The original is corrected after the translation was made.
    let original = root.join("content/news/report.en.md");
    let text = std::fs::read_to_string(&original).unwrap().replace("200 members", "240 members and 12 observers");
    std::fs::write(&original, text).unwrap();
    let (ok, out) = run(&root, &["check", "--report", root.join("report.html").to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains("content/news/report.ar.md (from content/news/report.en.md): 5 word(s) added, 2 removed: -200 +240"),
        "{out}"
    );
    let report = std::fs::read_to_string(root.join("report.html")).unwrap();
    assert!(report.contains("stale: <a href=\"file://") && report.contains("report.ar.md"), "{report}");
    assert!(!run(&root, &["check", "--strict"]).0, "a stale translation fails --strict");
    let (ok, out) = run(&root, &["build"]);
    assert!(ok, "{out}");
    let page = std::fs::read_to_string(root.join("public/ar/news/report/index.html")).unwrap();
    assert!(page.contains("حُدِّث النص الأصلي بعد إعداد هذه الترجمة."), "the localised notice: {page}");
    assert!(page.contains(r#"<a href="/news/report/" hreflang="en">اقرأ النص الأصلي المحدَّث"#), "it links to the original: {page}");

    let (ok, out) = run(&root, &["translate", "--mark-current", "content/news/report.ar.md"]);
    assert!(ok, "{out}");
    let (ok, out) = run(&root, &["check"]);
    assert!(ok && !out.contains("content/news/report.ar.md (from"), "{out}");
    run(&root, &["build"]);
    let page = std::fs::read_to_string(root.join("public/ar/news/report/index.html")).unwrap();
    assert!(!page.contains("حُدِّث النص الأصلي"), "{page}");
}

#[test]
fn translate_refuses_an_existing_translation_and_an_unknown_language() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path(), false);
    let (ok, out) = run(&root, &["translate", "content/news/summit.en.md", "--to", "ar"]);
    assert!(!ok && out.contains("already has a `ar` translation: content/news/summit.ar.md"), "{out}");
    let (ok, out) = run(&root, &["translate", "content/news/summit.en.md", "--to", "fr"]);
    assert!(!ok && out.contains("`fr` is not a language of the site"), "{out}");
}

/// `serve --watch` shows the same status at /_tessera/, up to date after every edit.
#[test]
fn the_live_server_shows_the_translation_status() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path(), false);
    let (ok, out) = run(&root, &["translate", "content/news/report.en.md", "--to", "ar"]);
    assert!(ok, "{out}");
    let translation = root.join("content/news/report.ar.md");
    let draft = std::fs::read_to_string(&translation).unwrap();
    std::fs::write(
        &translation,
        draft.replace("draft: true\n", "").replace(&format!("{}\n", tessera::translation::TO_TRANSLATE), ""),
    )
    .unwrap();
    let server = Server::start(&root, &["--watch"]);
    let page = server.get("/_tessera/").text();
    assert!(page.contains("Translation status") && !page.contains("stale: "), "{page}");
    assert!(page.contains("in review: ") && page.contains("report.ar.md"), "{page}");
    assert!(page.contains("new EventSource(\"/__tessera/events\")"), "the page reloads itself: {page}");

    let original = root.join("content/news/report.en.md");
    let text = std::fs::read_to_string(&original).unwrap();
    std::fs::write(&original, text.replace("It met in Rabat.", "It met in Rabat and Tunis.")).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let page = server.get("/_tessera/").text();
        if page.contains("stale: ") {
            assert!(page.contains("3 word(s) added, 1 removed: -Rabat. +Rabat +and +Tunis."), "{page}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the report never showed the stale translation:\n{page}\n{}",
            server.log_text()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
