//! The search index tessera writes in Pagefind's format (`src/search/bundle.rs`) holds what
//! Pagefind's own index of the same pages holds: the same pages in the same order, each with the
//! same text, title, image and anchors, and the same words, each on the same pages at the same
//! places with the same weights. Checked on the bundled site (real articles in Hindi, English,
//! Azerbaijani and Arabic), on a generated network site, and on a fixture whose pages hold what
//! Pagefind reads with care: entities, compound and dotted words, diacritics, emoji, anchors,
//! nested `data-pagefind-ignore`, images after the title.

mod common;
use common::*;
use minicbor::Decode;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Decode, Debug, PartialEq)]
struct MetaIndex {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    chunks: Vec<MetaChunk>,
    #[n(5)]
    meta_fields: Vec<String>,
}

#[derive(Decode, Debug, PartialEq)]
struct MetaPage {
    #[n(0)]
    hash: String,
    #[n(1)]
    word_count: u32,
}

#[derive(Decode, Debug, PartialEq)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(Decode, Debug)]
struct WordIndex {
    #[n(0)]
    words: Vec<Word>,
}

#[derive(Decode, Debug, PartialEq)]
struct Word {
    #[n(0)]
    word: String,
    #[n(1)]
    pages: Vec<Page>,
    #[n(2)]
    variants: Vec<Variant>,
}

#[derive(Decode, Debug, PartialEq)]
struct Variant {
    #[n(0)]
    form: String,
    #[n(1)]
    pages: Vec<Page>,
}

#[derive(Decode, Debug, PartialEq)]
struct Page {
    #[n(0)]
    page: usize,
    #[n(1)]
    locs: Vec<i32>,
    #[n(2)]
    meta_locs: Vec<i32>,
}

/// One language's index as its scripts read it: the pages (word count, fragment), the chunks'
/// bounds, the metadata fields and every word.
#[derive(Debug, PartialEq)]
struct Index {
    version: String,
    pages: Vec<(u32, serde_json::Value)>,
    bounds: Vec<(String, String)>,
    meta_fields: Vec<String>,
    words: Vec<Word>,
    /// The name of the first page's fragment file: tessera names files by another hash than
    /// Pagefind, which tells who made the bundle.
    first_name: String,
}

/// A file of the bundle, un-gzipped, without Pagefind's signature.
fn unpacked(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .read_to_end(&mut bytes)
        .unwrap();
    bytes.strip_prefix(b"pagefind_dcd".as_slice()).unwrap_or_else(|| panic!("{} has no signature", path.display())).to_vec()
}

/// The index of `lang` in the bundle folder `dir`.
fn index(dir: &Path, lang: &str) -> Index {
    let entry: serde_json::Value = serde_json::from_str(&read(dir.join("pagefind-entry.json"))).unwrap();
    let hash = entry["languages"][lang]["hash"].as_str().unwrap_or_else(|| panic!("no {lang} in {}", dir.display()));
    let meta: MetaIndex = minicbor::decode(&unpacked(&dir.join(format!("pagefind.{hash}.pf_meta")))).unwrap();
    assert_eq!(entry["languages"][lang]["page_count"], meta.pages.len(), "{lang} in {}", dir.display());
    let pages = meta
        .pages
        .iter()
        .map(|p| {
            (p.word_count, serde_json::from_slice(&unpacked(&dir.join(format!("fragment/{}.pf_fragment", p.hash)))).unwrap())
        })
        .collect();
    let mut words = Vec::new();
    for chunk in &meta.chunks {
        let index: WordIndex = minicbor::decode(&unpacked(&dir.join(format!("index/{}.pf_index", chunk.hash)))).unwrap();
        words.extend(index.words);
    }
    let bounds = meta.chunks.iter().map(|c| (c.from.clone(), c.to.clone())).collect();
    let first_name = meta.pages.first().map(|p| p.hash.clone()).unwrap_or_default();
    Index { version: meta.version, pages, bounds, meta_fields: meta.meta_fields, words, first_name }
}

/// Pagefind's bundle of every page of the built site `out` (but its 404 page), given in the
/// order of their paths as tessera gives them, written into `into`.
fn pagefind_bundle(out: &Path, into: &Path) {
    let mut paths: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap().path().strip_prefix(out).unwrap().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".html") && !p.ends_with("404.html") && !p.starts_with("pagefind/"))
        .collect();
    paths.sort();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let files = runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder().keep_index_url(false).build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config)).unwrap();
        for path in &paths {
            let url = format!("/{}", path.strip_suffix("index.html").unwrap_or(path));
            index.add_html_file(None, Some(url), read(out.join(path))).await.unwrap();
        }
        index.get_files().await.unwrap()
    });
    for file in files {
        let path = into.join(&file.filename);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.contents).unwrap();
    }
}

/// Asserts that every language of the site built into `out` is indexed as Pagefind indexes it.
fn assert_indexed_as_pagefind_does(out: &Path) {
    let theirs = tempfile::tempdir().unwrap();
    pagefind_bundle(out, theirs.path());
    let entry: serde_json::Value = serde_json::from_str(&read(out.join("pagefind/pagefind-entry.json"))).unwrap();
    let langs: Vec<&String> = entry["languages"].as_object().unwrap().keys().collect();
    assert!(langs.len() > 1, "{langs:?}");
    let mut problems = Vec::new();
    for lang in langs {
        let ours = index(&out.join("pagefind"), lang);
        let theirs = index(theirs.path(), lang);
        assert!(!ours.words.is_empty() && ours.pages.len() > 1, "{lang}: {} pages", ours.pages.len());
        assert_ne!(ours.first_name, theirs.first_name, "{lang}: tessera left the bundle to Pagefind");
        if ours.pages != theirs.pages {
            let first = ours.pages.iter().zip(&theirs.pages).find(|(a, b)| a != b);
            problems.push(format!(
                "{lang}: pages differ ({} against {}); first: {first:#?}",
                ours.pages.len(),
                theirs.pages.len()
            ));
        }
        let theirs_words: BTreeMap<&str, &Word> = theirs.words.iter().map(|w| (w.word.as_str(), w)).collect();
        let ours_words: BTreeMap<&str, &Word> = ours.words.iter().map(|w| (w.word.as_str(), w)).collect();
        let mut differing: Vec<String> = Vec::new();
        for word in theirs_words.keys().chain(ours_words.keys()).collect::<std::collections::BTreeSet<_>>() {
            let (a, b) = (ours_words.get(word), theirs_words.get(word));
            if a != b && differing.len() < 5 {
                differing.push(format!("{word:?}: ours {a:?}, Pagefind's {b:?}"));
            }
        }
        if !differing.is_empty() {
            problems.push(format!("{lang}: words differ, e.g.\n  {}", differing.join("\n  ")));
        }
        if ours.bounds != theirs.bounds || ours.meta_fields != theirs.meta_fields || ours.version != theirs.version {
            problems.push(format!(
                "{lang}: chunks {:?} against {:?}, fields {:?} against {:?}",
                ours.bounds, theirs.bounds, ours.meta_fields, theirs.meta_fields
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_bundled_site_is_indexed_as_pagefind_indexes_it() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    build(root, &["--output", out.path().to_str().unwrap()]);
    assert_indexed_as_pagefind_does(out.path());
}

#[test]
fn a_generated_network_site_is_indexed_as_pagefind_indexes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = generate::network_site(dir.path(), 30, &["en", "hi", "az", "ar"]);
    let yaml = read(root.join("site.yaml")).replace("search: false", "search: true");
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    let out = dir.path().join("out");
    generate::build_to(&root, &out);
    assert_indexed_as_pagefind_does(&out);
}

#[test]
fn pages_pagefind_reads_with_care_are_indexed_as_pagefind_indexes_them() {
    // The multilingual fixture, with the pages and page template of `search-reading` over it.
    let (_tmp, root) = copy_fixture("multilingual");
    copy_dir(&fixture("search-reading"), &root);
    let out = root.join("public");
    build(&root, &[]);
    assert_indexed_as_pagefind_does(&out);
}
