//! One network in every language: every article is listed in every language (its translation,
//! else its stand-in with a badge naming its language), translations share front matter,
//! terms with one key are one term in every language, and originals can carry a localised
//! headline and summary. Built with the real binary, asserted on the HTML it wrote.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn build_bundled() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = tessera(&["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    (tmp, out)
}

/// The cards of a listing page, each as its HTML.
fn cards(html: &str) -> Vec<&str> {
    html.split("<article class=\"card").skip(1).map(|c| c.split("</article>").next().unwrap()).collect()
}

fn href_of_title(card: &str) -> &str {
    let title = &card[card.find("card__title").unwrap()..];
    let start = title.find("href=\"").unwrap() + 6;
    &title[start..start + title[start..].find('"').unwrap()]
}

fn file_of(out: &Path, url: &str) -> PathBuf {
    let path = percent_encoding::percent_decode_str(url.trim_start_matches('/')).decode_utf8().unwrap().into_owned();
    out.join(path).join("index.html")
}

#[test]
fn the_english_news_and_home_list_every_article_of_the_network() {
    let (_tmp, out) = build_bundled();
    for listing in ["news/index.html", "index.html"] {
        let html = read(out.join(listing));
        let cards = cards(&html);
        // Five article files, four stories: the English and Hindi files are one story.
        assert_eq!(cards.len(), 4, "{listing}: {cards:#?}");
        let badges: Vec<&str> =
            cards.iter().filter_map(|c| c.split("class=\"badge\">").nth(1)).map(|b| b.split('<').next().unwrap()).collect();
        assert_eq!(badges.iter().filter(|b| **b == "in Arabic").count(), 2, "{listing}: {badges:?}");
        assert_eq!(badges.iter().filter(|b| **b == "in Azerbaijani").count(), 1, "{listing}: {badges:?}");
        // Untranslated articles keep their original title, marked with its language.
        let arabic = cards.iter().filter(|c| c.contains("card__title\" lang=\"ar\" dir=\"rtl\"")).count();
        assert_eq!(arabic, 2, "{listing}");
        assert!(cards.iter().any(|c| c.contains("card__title\" lang=\"az\" dir=\"ltr\"")), "{listing}");
        // The English story links its Hindi version: all five files are one click away.
        assert!(html.contains("hreflang=\"hi\" lang=\"hi\">हिन्दी</a>"), "{listing}");
        for card in &cards {
            let target = file_of(&out, href_of_title(card));
            assert!(target.is_file(), "{listing}: {} does not exist", target.display());
        }
    }
}

#[test]
fn the_hindi_news_lists_the_others_with_hindi_badges_and_switchers_lead_to_stand_ins() {
    let (_tmp, out) = build_bundled();
    let html = read(out.join("hi/news/index.html"));
    assert_eq!(cards(&html).len(), 4);
    assert_eq!(html.matches("class=\"badge\">अरबी में").count(), 2);
    assert_eq!(html.matches("class=\"badge\">अज़रबैजानी में").count(), 1);
    // The Hindi article's switcher leads to the Azerbaijani and Arabic stand-ins of its story,
    // which exist and are marked as stand-ins.
    let hindi = walkdir::WalkDir::new(out.join("hi/news"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().to_string_lossy().contains("wasme-") && e.file_name() == "index.html")
        .unwrap();
    let page = read(hindi.path());
    for lang in ["az", "ar"] {
        let marker = format!("<li lang=\"{lang}\" class=\"languages__stand-in\"><a href=\"");
        let at = page.find(&marker).unwrap_or_else(|| panic!("no stand-in entry for {lang}")) + marker.len();
        let url = &page[at..at + page[at..].find('"').unwrap()];
        let stand_in = read(file_of(&out, url));
        assert!(stand_in.contains("class=\"stand-in\""), "{url} is not a stand-in");
        assert!(stand_in.contains("<link rel=\"canonical\" href=\"https://example.org/news/the-2024-"), "{url}");
        assert!(!stand_in.contains("hreflang=\"x-default\""), "a stand-in claims no alternates: {url}");
    }
}

#[test]
fn a_stand_in_page_gives_headline_summary_and_every_version() {
    let (_tmp, out) = build_bundled();
    let page = read(file_of(&out, "/news/لقاء-جهوي-بوجدة-حول-تعزيز-الابتكار-وريادة-الأعمال-التعاونية/"));
    assert!(page.contains("The full text is only available in Arabic."), "notice");
    assert!(page.contains("<h1 id=\"stand-in-title\" lang=\"ar\" dir=\"rtl\">"), "original title marked");
    assert!(page.contains("class=\"stand-in__summary\" lang=\"ar\" dir=\"rtl\"><p>"), "original summary");
    assert!(page.contains("href=\"/ar/news/لقاء-جهوي"), "link to the original");
    assert!(!page.contains("\"@type\":\"NewsArticle\""), "no JSON-LD on a stand-in");
}

#[test]
fn one_term_key_is_one_term_in_every_language() {
    let (_tmp, out) = build_bundled();
    let en = read(out.join("topics/msmes/index.html"));
    for (lang, url) in
        [("hi", "hi/topics/एमएसएमई/"), ("az", "az/topics/kobi-lər/"), ("ar", "ar/topics/المؤسسات-الصغيرة-والمتوسطة/")]
    {
        let link = format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://example.org/{url}\">");
        assert!(en.contains(&link), "missing {link}");
        let other = read(out.join(url).join("index.html"));
        assert!(other.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/topics/msmes/\">"), "{url}");
        // Every term page lists the story in its language.
        assert_eq!(cards(&other).len(), 1, "{url}");
    }
}

/// A small site: one original in Hindi with an English headline and summary, one English
/// article with a Hindi translation that sets no date, place or topics.
fn small_site(extra_site_yaml: &str, news_index_en: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/network"), &root.join("themes/network"));
    let files = [
        (
            "site.yaml",
            format!(
                "base_url: https://example.org/\ntitle: Net\ndefault_language: en\ntheme: network\nsearch: false\nmissing_translation: notice\nlanguages:\n  - {{code: en, name: English, weight: 1}}\n  - {{code: hi, name: हिन्दी, weight: 2}}\ntaxonomies:\n  - name: topics\n    terms:\n      - {{key: water, names: {{en: Water, hi: जल}}}}\n{extra_site_yaml}"
            ),
        ),
        ("content/_index.en.md", "---\ntitle: Net\n---\n".into()),
        ("content/_index.hi.md", "---\ntitle: नेट\n---\n".into()),
        ("content/news/_index.en.md", format!("---\ntitle: News\n{news_index_en}---\n")),
        ("content/news/_index.hi.md", "---\ntitle: समाचार\n---\n".into()),
        (
            "content/news/kuan.hi.md",
            "---\ntitle: गाँव में नया कुआँ\ndate: 2025-03-02\nplace: जयपुर\nlocalised:\n  en: {title: A new well in the village, summary: The village dug a well., place: Jaipur}\n---\nगाँव ने कुआँ खोदा।\n".into(),
        ),
        (
            "content/news/river.en.md",
            "---\ntitle: The river report\ndate: 2025-02-01\nplace: Delhi\ntranslation_key: river\ntaxonomies:\n  topics: [water]\n---\nThe river is clean.\n".into(),
        ),
        ("content/news/nadi.hi.md", "---\ntitle: नदी रिपोर्ट\ntranslation_key: river\n---\nनदी साफ़ है।\n".into()),
        ("content/news/undated.en.md", "---\ntitle: A note without a date\n---\nNo date.\n".into()),
    ];
    for (path, text) in files {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), text).unwrap();
    }
    (tmp, root)
}

#[test]
fn localised_headlines_inherited_front_matter_and_undated_articles() {
    let (tmp, root) = small_site("", "");
    let out = tmp.path().join("public");
    build(&root, &["--output", out.to_str().unwrap()]);
    let news = read(out.join("news/index.html"));
    // The Hindi original is listed in English with its English headline, summary and place.
    assert!(news.contains("<a href=\"/news/kuan/\">A new well in the village</a>"), "{news}");
    assert!(news.contains("The village dug a well.") && news.contains("Jaipur"), "localised summary and place");
    // The undated note is an article, listed after the dated ones.
    let order: Vec<usize> =
        ["A new well", "The river report", "A note without a date"].iter().map(|t| news.find(t).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The stand-in page says the full text is in Hindi and uses the English headline.
    let stand_in = read(out.join("news/kuan/index.html"));
    assert!(stand_in.contains("The full text is only available in Hindi."));
    assert!(stand_in.contains("<h1 id=\"stand-in-title\">A new well in the village</h1>"));
    // The Hindi translation inherits date, place and topic from the English original.
    let nadi = read(out.join("hi/news/nadi/index.html"));
    assert!(nadi.contains("datetime=\"2025-02-01\"") && nadi.contains("Delhi"), "inherited date and place");
    assert!(nadi.contains("href=\"/hi/topics/जल/\""), "inherited topic, named in Hindi");
    // Feeds list the whole network, the undated article with the build date.
    let feed = read(out.join("atom.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    assert_eq!(titles, ["A new well in the village", "The river report", "A note without a date"]);
}

#[test]
fn a_section_can_keep_to_its_own_language() {
    let (tmp, root) = small_site("", "list_untranslated: false\n");
    let out = tmp.path().join("public");
    build(&root, &["--output", out.to_str().unwrap()]);
    let news = read(out.join("news/index.html"));
    assert!(!news.contains("A new well"), "the Hindi-only article is not listed");
    assert!(news.contains("The river report"));
    // Its stand-in still exists for the language switcher.
    assert!(out.join("news/kuan/index.html").is_file());
}

#[test]
fn translations_that_disagree_and_unknown_term_keys_are_reported() {
    let (_tmp, root) = small_site("", "");
    let nadi = root.join("content/news/nadi.hi.md");
    std::fs::write(&nadi, "---\ntitle: नदी रिपोर्ट\ntranslation_key: river\ndate: 2025-02-03\n---\nनदी।\n").unwrap();
    let out = build(&root, &["--output", root.join("../public").to_str().unwrap()]);
    let warnings = stderr(&out);
    assert!(
        warnings.contains("content/news/nadi.hi.md says `date: 2025-02-03`") && warnings.contains("river.en.md"),
        "{warnings}"
    );

    std::fs::write(&nadi, "---\ntitle: नदी रिपोर्ट\ntranslation_key: river\ntaxonomies:\n  topics: [wter]\n---\nनदी।\n").unwrap();
    let result = tessera(&["check", "--root", root.to_str().unwrap()]);
    assert!(!result.status.success());
    let err = stderr(&result);
    assert!(err.contains("content/news/nadi.hi.md:5:1") && err.contains("`wter`") && err.contains("known keys: water"), "{err}");
}
