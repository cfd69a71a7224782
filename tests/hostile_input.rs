//! Hostile content, property-tested through the public functions a build runs: arbitrary bytes
//! as a content file, and arbitrary structured front matter (titles, slugs, aliases, terms,
//! dates, keys) with arbitrary Markdown. Nothing panics; a build either reports errors or
//! writes only paths inside the output folder, each segment a valid file name; slugs are safe
//! path segments. `PROPTEST_CASES` raises the number of cases.

mod common;
use common::*;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use tessera::build::build_site;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Whether `path` (relative, `/`-separated, as the build writes it) stays inside the output
/// folder and every segment is a file name a file system takes.
fn check_output_path(path: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("{path:?}: {why}"));
    if path.is_empty() || path.starts_with('/') || path.contains('\\') {
        return bad("empty, absolute or with a backslash");
    }
    for segment in path.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return bad("an empty, `.` or `..` segment");
        }
        if segment.len() > 255 || segment.chars().any(|c| c == '\0' || c.is_control()) {
            return bad("a segment too long or with a control character");
        }
    }
    let joined = Path::new("/out").join(path);
    if !joined.starts_with("/out") || joined.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return bad("outside the output folder");
    }
    Ok(())
}

/// Builds the site in `root` (no panic allowed) and checks every path it would write, and that
/// no HTML or XML file holds a NUL. Returns (1 if it built, paths checked).
fn build_and_check(root: &Path) -> Result<(usize, usize), TestCaseError> {
    match build_site(root, None, false) {
        Ok(built) => {
            for path in built.output.files.keys().chain(built.output.copies.keys()) {
                check_output_path(path).map_err(TestCaseError::fail)?;
            }
            for (path, bytes) in built.output.files.iter().filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml")) {
                prop_assert!(!bytes.contains(&0), "{path} holds a NUL byte");
            }
            Ok((1, built.output.files.len() + built.output.copies.len()))
        }
        Err(errors) => {
            // Errors are for a person: each names a file.
            prop_assert!(!errors.to_string().trim().is_empty());
            Ok((0, 0))
        }
    }
}

/// The `outputs` fixture (four languages, tags and partners taxonomies, a page bundle) with
/// one more page whose text the test chooses.
struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let (dir, root) = copy_fixture("outputs");
        Fixture { _dir: dir, root }
    }

    /// Removes what the previous case added.
    fn clear(&self) {
        for dir in [self.root.join("content/news"), self.root.join("content")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().unwrap().to_string_lossy().starts_with("fuzz") {
                    if path.is_dir() { std::fs::remove_dir_all(path).unwrap() } else { std::fs::remove_file(path).unwrap() }
                }
            }
        }
    }

    /// `content/news/NAME` holding `bytes`.
    fn page(&self, name: &str, bytes: &[u8]) -> &Path {
        self.clear();
        std::fs::write(self.root.join("content/news").join(name), bytes).unwrap();
        &self.root
    }

    /// A section `content/fuzz/<name>/` whose `_index.md` holds `bytes`, with one page.
    fn section(&self, name: &str, bytes: &[u8]) -> &Path {
        self.clear();
        let name = if matches!(name.trim(), "" | "." | "..") { "_" } else { name };
        let dir = self.root.join("content/fuzz").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("_index.md"), bytes).unwrap();
        std::fs::write(dir.join("page.md"), "---\ntitle: A page\n---\nText.\n").unwrap();
        &self.root
    }
}

/// Any text: every Unicode scalar, controls and newlines included.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "(?s).{0,40}",
        "[-./\\\\a-z0-9%?#: ]{0,16}",
        Just("..".to_string()),
        Just("/../../etc/passwd".to_string()),
        Just("a//b".to_string()),
        Just("\0".to_string()),
        "[\u{0900}-\u{097F}\u{0600}-\u{06FF}\u{200C}\u{200D}İIı ]{1,30}",
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        Just("2024-02-30".to_string()),
        Just("2024-12-22T10:00:00+01:00".into())
    ]
}

/// Front matter as YAML (serde_yaml quotes and escapes whatever the strings hold).
fn front_matter() -> impl Strategy<Value = String> {
    (
        (proptest::option::of(text()), proptest::option::of(text()), proptest::option::of(date())),
        proptest::collection::vec(text(), 0..4),
        proptest::collection::vec(text(), 0..4),
        (proptest::option::of(text()), any::<bool>(), proptest::option::of(any::<i64>())),
        proptest::option::of(proptest::collection::vec(Just("wasme".to_string()).boxed().prop_union(text().boxed()), 0..3)),
    )
        .prop_map(|((title, slug, date), aliases, tags, (key, draft, weight), partners)| {
            let mut front = serde_json::Map::new();
            let mut put = |k: &str, v: serde_json::Value| {
                front.insert(k.to_string(), v);
            };
            if let Some(t) = title {
                put("title", t.into());
            }
            if let Some(s) = slug {
                put("slug", s.into());
            }
            if let Some(d) = date {
                put("date", d.into());
            }
            if let Some(k) = key {
                put("translation_key", k.into());
            }
            if let Some(w) = weight {
                put("weight", w.into());
            }
            put("draft", (draft && weight.is_some_and(|w| w % 5 == 0)).into());
            put("aliases", aliases.into());
            let mut taxonomies = serde_json::Map::new();
            taxonomies.insert("tags".into(), tags.into());
            if let Some(p) = partners {
                taxonomies.insert("partners".into(), p.into());
            }
            put("taxonomies", taxonomies.into());
            serde_yaml::to_string(&serde_json::Value::Object(front)).unwrap()
        })
}

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        text(),
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("## Heading {#id}\n".to_string()),
        Just("[link](@/news/summit.md)".to_string()),
        Just("[broken](@/nowhere.md)".to_string()),
        Just("<!-- more -->".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("```\ncode\n".to_string()),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

/// Runs `case` on `cases` generated inputs; each returns how many builds succeeded and how many
/// output paths they checked. Prints the totals; fails when too few builds succeeded for the
/// property to mean anything.
fn run<S: Strategy>(name: &str, cases: u32, strategy: S, case: impl Fn(S::Value) -> Result<Vec<(usize, usize)>, TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    use std::cell::Cell;
    let (runs, built, paths) = (Cell::new(0), Cell::new(0), Cell::new(0));
    let mut runner = proptest::test_runner::TestRunner::new(config(cases));
    let result = runner.run(&strategy, |value| {
        for (b, p) in case(value)? {
            runs.set(runs.get() + 1);
            built.set(built.get() + b);
            paths.set(paths.get() + p);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    println!(
        "{name}: {} builds, {} succeeded ({} output paths checked), the others reported errors",
        runs.get(),
        built.get(),
        paths.get()
    );
    assert!(built.get() * 10 >= runs.get(), "{name}: too few builds succeeded to check their output");
}

#[test]
fn arbitrary_bytes_as_a_content_file() {
    let fixture = Fixture::new();
    run("arbitrary bytes", 200, (proptest::collection::vec(any::<u8>(), 0..600), "en|ar|hi|az"), |(bytes, lang)| {
        // As they are (rarely UTF-8); as text, as a body and as front matter.
        let text = String::from_utf8_lossy(&bytes);
        let variants = [
            bytes.clone(),
            text.as_bytes().to_vec(),
            format!("---\ntitle: t\n---\n{text}").into_bytes(),
            format!("---\n{text}\n---\n{text}").into_bytes(),
        ];
        variants.iter().map(|v| build_and_check(fixture.page(&format!("fuzz.{lang}.md"), v))).collect()
    });
}

#[test]
fn arbitrary_front_matter_and_markdown() {
    let fixture = Fixture::new();
    let strategy = (front_matter(), markdown(), text(), "en|ar|hi|az");
    run("structured front matter", 200, strategy, |(front, body, name, lang)| {
        let name: String = name.replace(['/', '\\', '\0'], "_").chars().take(30).collect();
        let page = format!("---\n{front}---\n{body}\n");
        let as_page = build_and_check(fixture.page(&format!("fuzz-{name}.{lang}.md"), page.as_bytes()))?;
        // The same text as a section: its folder name is arbitrary too.
        let as_section = build_and_check(fixture.section(&name, page.as_bytes()))?;
        Ok(vec![as_page, as_section])
    });
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn slugs_are_safe_path_segments(title in text(), lang in "en|az|tr|hi|ar|fa|x-unknown") {
        let slug = tessera::slug::slugify(&title, &lang);
        if !slug.is_empty() {
            check_output_path(&slug).map_err(TestCaseError::fail)?;
            prop_assert!(!slug.contains('/'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
            prop_assert!(slug.chars().all(|c| !c.is_whitespace()), "{slug:?}");
            // A slug is its own slug: links built from it are stable.
            prop_assert_eq!(tessera::slug::slugify(&slug, &lang), slug.clone());
        }
    }

    #[test]
    fn section_urls_land_inside_the_output(parts in proptest::collection::vec(text(), 0..4), lang in "en|ar") {
        let config = tessera::config::SiteConfig::parse(
            "base_url: https://org.github.io/network/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: ar, name: Arabic}\n",
            Path::new("site.yaml"),
        ).unwrap();
        let content_path = parts.join("/");
        let url = tessera::urls::section(&config, &lang, &content_path);
        let file = tessera::urls::output_file(&config, &url);
        check_output_path(&file).map_err(TestCaseError::fail)?;
    }
}

/// Arbitrary bytes (and arbitrary text after a title line) through `tessera import`: no panic,
/// and every page written is a visible, valid file name inside `content/news/`.
#[test]
fn arbitrary_bytes_through_the_importer() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("site.yaml"), "base_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: ar, name: العربية}\n").unwrap();
    let config = tessera::config::SiteConfig::load(site.path()).unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let strategy = (proptest::collection::vec(any::<u8>(), 0..400), text(), text());
    run("importer", 150, strategy, |(bytes, title, body)| {
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        let variants =
            [bytes.clone(), format!("{title}\n\n{body}\n\n{lossy}").into_bytes(), format!("{lossy}\n\n{body}").into_bytes()];
        let mut counts = Vec::new();
        for (n, variant) in variants.iter().enumerate() {
            let input = inputs.path().join(format!("input-{n}.txt"));
            std::fs::write(&input, variant).unwrap();
            let options = tessera::import::ImportOptions {
                inputs: vec![input],
                section: "news".into(),
                lang: None,
                dry_run: false,
                force: n % 2 == 0,
            };
            let mut report = Vec::new();
            let failed = tessera::import::run(site.path(), &config, &options, &mut report)
                .map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
            let news = site.path().join("content/news");
            let mut written = 0;
            for entry in std::fs::read_dir(&news).into_iter().flatten().filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                prop_assert!(!name.starts_with('.') && name.ends_with(".md") && name.len() > ".en.md".len(), "{name:?}");
                check_output_path(&format!("content/news/{name}")).map_err(TestCaseError::fail)?;
                written += 1;
            }
            counts.push((usize::from(failed == 0), written));
        }
        let _ = std::fs::remove_dir_all(site.path().join("content"));
        Ok(counts)
    });
}
