//! The bundled site with the default theme, in a real browser: headless Chromium loads every
//! kind of page in English, Hindi, Azerbaijani and Arabic and checks that nothing fails to load,
//! that Arabic lays out right-to-left from one stylesheet, that search finds articles in every
//! language, and that axe-core finds no accessibility violation. Needs Debian's chromium,
//! fonts-noto-core and `npm ci` (axe-core): `.ci/run install` installs them.

#[path = "browser/harness.rs"]
mod harness;

use harness::{LANGUAGES, Visit, harness, lang_prefix};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// Every kind of page the theme renders, as paths under a language's root.
fn page_kinds(lang: &str) -> Vec<(&'static str, String)> {
    let h = harness();
    let root = lang_prefix(lang);
    let article = h.first_article(lang);
    let first_term = |taxonomy: &str| -> String {
        let dir = h.out.join(&root).join(taxonomy);
        let mut terms: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("no {taxonomy} pages in {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir() && e.file_name() != "page")
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        terms.sort();
        format!("{root}{taxonomy}/{}/", terms.first().unwrap_or_else(|| panic!("no term under {}", dir.display())))
    };
    let mut kinds = vec![
        ("home", root.clone()),
        ("news listing", format!("{root}news/")),
        ("article", article.trim_start_matches('/').to_string()),
        ("partners directory", format!("{root}partners/")),
        ("partner", format!("{root}partners/wasme/")),
        ("topics", format!("{root}topics/")),
        ("topic", first_term("topics")),
        ("countries", format!("{root}countries/")),
        ("country", first_term("countries")),
        ("about", format!("{root}about/")),
        ("search", format!("{root}search/")),
        ("not found", format!("{root}404.html")),
    ];
    if h.out.join(&root).join("news/page/2/index.html").exists() {
        kinds.push(("news listing, page 2", format!("{root}news/page/2/")));
    }
    kinds
}

fn dir_of(lang: &str) -> &'static str {
    if lang == "ar" { "rtl" } else { "ltr" }
}

#[test]
fn every_page_type_loads_without_errors_in_every_language() {
    // One thread per language: each visit waits mostly on the browser, not on this process.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let threads: Vec<_> = LANGUAGES.iter().map(|&lang| scope.spawn(move || page_problems(lang))).collect();
        threads.into_iter().flat_map(|t| t.join().expect("a language's visits panicked")).collect()
    });
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

/// Visits every kind of page in `lang`; returns what went wrong.
fn page_problems(lang: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for (kind, path) in page_kinds(lang) {
        let visit = harness().open(&path);
        // The search UI starts from a script: let it start before judging the page.
        let search_ui_missing = kind == "search"
            && !visit.holds_within("document.querySelector('.pagefind-ui__search-input')", Duration::from_secs(10));
        let (html_lang, dir, h1): (String, String, String) =
            visit.eval("[document.documentElement.lang, document.documentElement.dir, document.querySelector('main h1')?.textContent.trim() ?? '']");
        let mut problems = visit.problems();
        if search_ui_missing {
            problems.push("the Pagefind search UI did not start".into());
        }
        if html_lang != lang || dir != dir_of(lang) {
            problems
                .push(format!("<html lang=\"{html_lang}\" dir=\"{dir}\">, expected lang=\"{lang}\" dir=\"{}\"", dir_of(lang)));
        }
        if h1.is_empty() {
            problems.push("no <h1> in <main>".into());
        }
        let (scroll_width, client_width, body_width): (f64, f64, f64) = visit.eval(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.getBoundingClientRect().width]",
        );
        if scroll_width > client_width || body_width < client_width {
            problems.push(format!("the page is {scroll_width}px wide, its body {body_width}px, in a {client_width}px viewport"));
        }
        let switcher_langs: Vec<String> = visit.eval("[...document.querySelectorAll('.languages li')].map(li => li.lang)");
        if switcher_langs.len() < 2 || switcher_langs.iter().any(|l| l.is_empty()) {
            problems.push(format!("language switcher items without lang: {switcher_langs:?}"));
        }
        for p in problems {
            failures.push(format!("{lang} {kind} ({}): {p}", visit.url));
        }
    }
    failures
}

#[derive(Deserialize, Debug)]
struct Layout {
    viewport: f64,
    /// Left and right edges of the navigation items, in order.
    nav: Vec<(f64, f64)>,
    /// Computed `text-align` and `direction` of the first paragraph of body text.
    text_align: String,
    direction: String,
    /// The paragraph's content box and its first word's box (left, right).
    paragraph: (f64, f64),
    first_word: (f64, f64),
}

const LAYOUT: &str = r#"(() => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
  const p = document.querySelector('main .prose p') || document.querySelector('main .hero__text p');
  const text = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange();
  const start = text.textContent.search(/\S/);
  range.setStart(text, start);
  range.setEnd(text, start + text.textContent.slice(start).search(/\s|$/));
  const style = getComputedStyle(p);
  const r = p.getBoundingClientRect();
  return {
    viewport: document.documentElement.clientWidth,
    nav: [...document.querySelectorAll('.site-nav li')].map(box),
    text_align: style.textAlign,
    direction: style.direction,
    paragraph: [r.left + parseFloat(style.paddingLeft), r.right - parseFloat(style.paddingRight)],
    first_word: box(range),
  };
})()"#;

#[test]
fn arabic_lays_out_right_to_left_and_english_left_to_right() {
    for lang in ["ar", "en"] {
        let article = harness().first_article(lang);
        for path in [lang_prefix(lang), article.trim_start_matches('/').to_string()] {
            let visit = harness().open(&path);
            let l: Layout = visit.eval(LAYOUT);
            let where_ = format!("{lang} {}: {l:?}", visit.url);
            let (first, last) = (l.nav[0], *l.nav.last().unwrap());
            if lang == "ar" {
                assert_eq!(l.direction, "rtl", "{where_}");
                assert!(["right", "start"].contains(&l.text_align.as_str()), "body text should align right: {where_}");
                assert!(first.0 > last.0, "the first nav item should be right of the last: {where_}");
                assert!(l.viewport - first.1 < first.0, "the first nav item should sit at the right edge: {where_}");
                assert!(l.nav.iter().all(|b| b.1 <= first.1 + 0.5), "the first nav item should be the rightmost: {where_}");
                assert!(
                    (l.paragraph.1 - l.first_word.1).abs() < 2.0,
                    "a paragraph's first word should start at its right edge: {where_}"
                );
            } else {
                assert_eq!(l.direction, "ltr", "{where_}");
                assert!(["left", "start"].contains(&l.text_align.as_str()), "body text should align left: {where_}");
                assert!(first.0 < last.0, "the first nav item should be left of the last: {where_}");
                assert!(first.0 < l.viewport - first.1, "the first nav item should sit at the left edge: {where_}");
                assert!(l.nav.iter().all(|b| b.0 >= first.0 - 0.5), "the first nav item should be the leftmost: {where_}");
                assert!(
                    (l.first_word.0 - l.paragraph.0).abs() < 2.0,
                    "a paragraph's first word should start at its left edge: {where_}"
                );
            }
        }
    }
}

#[test]
fn arabic_and_english_fit_a_phone_screen() {
    for lang in ["ar", "en"] {
        let article = harness().first_article(lang);
        for path in [lang_prefix(lang), article.trim_start_matches('/').to_string(), format!("{}partners/", lang_prefix(lang))] {
            let visit = harness().open_at(&harness().origin, &path, (360, 740));
            let (scroll_width, client_width, first_right, first_left): (f64, f64, f64, f64) = visit.eval(
                "(() => { const r = document.querySelector('.site-nav li').getBoundingClientRect(); return [document.documentElement.scrollWidth, document.documentElement.clientWidth, r.right, r.left]; })()",
            );
            assert!(
                scroll_width <= client_width,
                "{}: {scroll_width}px of content in a {client_width}px wide phone screen",
                visit.url
            );
            if lang == "ar" {
                assert!(
                    client_width - first_right < first_left,
                    "{}: the first nav item should be at the right: {first_left}..{first_right}",
                    visit.url
                );
            } else {
                assert!(
                    first_left < client_width - first_right,
                    "{}: the first nav item should be at the left: {first_left}..{first_right}",
                    visit.url
                );
            }
            assert!(visit.problems().is_empty(), "{}: {:?}", visit.url, visit.problems());
        }
    }
}

#[test]
fn a_site_made_by_tessera_new_loads_without_errors() {
    let origin = harness().scaffolded_origin();
    let mut failures = Vec::new();
    for lang in LANGUAGES {
        let root = lang_prefix(lang);
        for path in [
            root.clone(),
            format!("{root}news/"),
            format!("{root}topics/"),
            format!("{root}partners/"),
            format!("{root}404.html"),
            format!("{root}search/"),
            format!("{root}about/"),
        ] {
            let visit = harness().open_at(origin, &path, harness::VIEWPORT);
            let (html_lang, h1): (String, String) =
                visit.eval("[document.documentElement.lang, document.querySelector('main h1')?.textContent.trim() ?? '']");
            let mut problems = visit.problems();
            if html_lang != lang {
                problems.push(format!("<html lang=\"{html_lang}\">"));
            }
            if h1.is_empty() {
                problems.push("no <h1> in <main>".into());
            }
            failures.extend(problems.into_iter().map(|p| format!("{}: {p}", visit.url)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The longest word of an article's title, without punctuation: something only it is likely to
/// contain.
fn search_word(title: &str) -> String {
    title
        .split(|c: char| {
            !c.is_alphanumeric() && !matches!(c, '\u{0900}'..='\u{097F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}')
        })
        .max_by_key(|w| w.chars().count())
        .unwrap_or_default()
        .to_string()
}

/// Types `word` into the search page of `lang`; returns the visit and the paths of the results.
fn search(lang: &str, word: &str) -> (Visit, Vec<String>) {
    let visit = harness().open(&format!("{}search/", lang_prefix(lang)));
    visit.wait_for("document.querySelector('.pagefind-ui__search-input')", Duration::from_secs(10));
    let links = search_again(&visit, word);
    (visit, links)
}

/// Types `word` into the search box of an open search page and waits for its results; returns
/// the paths of the results (none when no result came within 15 s).
fn search_again(visit: &Visit, word: &str) -> Vec<String> {
    let type_in = |text: &str| {
        let json = serde_json::to_string(text).unwrap();
        let _: bool = visit.eval(&format!(
            "(() => {{ const i = document.querySelector('.pagefind-ui__search-input'); i.focus(); i.value = {json}; i.dispatchEvent(new Event('input', {{ bubbles: true }})); return true; }})()"
        ));
    };
    // Clear the last search first, so the results read below are this search's.
    type_in("");
    visit.wait_for("!document.querySelector('.pagefind-ui__result-link')", Duration::from_secs(10));
    type_in(word);
    let word_json = serde_json::to_string(word).unwrap();
    // Results come in as placeholders and fill as each page's data arrives: read them once none
    // is still loading, after showing every result (the list starts with five).
    let found = format!(
        "(document.querySelector('.pagefind-ui__message') || {{}}).textContent?.includes({word_json}) && !!document.querySelector('.pagefind-ui__result-link') && !document.querySelector('.pagefind-ui__loading')"
    );
    if !visit.holds_within(&found, Duration::from_secs(15)) {
        return Vec::new();
    }
    while visit
        .eval::<bool>("(() => { const more = document.querySelector('.pagefind-ui__button'); more?.click(); return !!more; })()")
    {
        if !visit.holds_within(&found, Duration::from_secs(15)) {
            return Vec::new();
        }
    }
    let links: Vec<String> =
        visit.eval("[...document.querySelectorAll('.pagefind-ui__result-link')].map(a => new URL(a.href).pathname)");
    links.iter().map(|l| percent_decode(l)).collect()
}

#[test]
fn search_finds_articles_by_a_word_in_every_language() {
    for lang in LANGUAGES {
        let article = harness().first_article(lang);
        let title: String = harness().open(&article).eval("document.querySelector('main h1').textContent");
        let word = search_word(&title);
        let (visit, links) = search(lang, &word);
        let wanted = percent_decode(&article);
        assert!(
            links.contains(&wanted),
            "{lang}: searching for {word:?} (from the title {title:?}) should find {article}, found {links:?}"
        );
        assert!(visit.problems().is_empty(), "{lang} search: {:?}", visit.problems());
        visit.screenshot(&screenshots().join(format!("{lang}-search.png")));
    }
}

/// The harness indexes every language in parts of one page (see `harness.rs`): the search page
/// merges them, so every indexed page, whichever part holds it, is found by a word of its title.
#[test]
fn search_finds_every_indexed_page_whichever_part_holds_it() {
    let h = harness();
    let parts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(h.out.join("pagefind/tessera-parts.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    for lang in LANGUAGES {
        let folders = parts[lang].as_array().map_or(0, Vec::len);
        assert!(folders >= 1, "{lang} should be indexed in parts: {parts}");
        let visit = harness().open(&format!("{}search/", lang_prefix(lang)));
        visit.wait_for("document.querySelector('.pagefind-ui__search-input')", Duration::from_secs(10));
        for (path, title) in indexed_pages(lang) {
            let word = search_word(&title);
            let links = search_again(&visit, &word);
            if !links.contains(&path) {
                failures.push(format!("{lang}: searching for {word:?} (from {title:?}) should find {path}, found {links:?}"));
            }
        }
        failures.extend(visit.problems().into_iter().map(|p| format!("{lang} search: {p}")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The pages of `lang` that Pagefind indexes (they mark `data-pagefind-body`): (path, `<h1>` text).
fn indexed_pages(lang: &str) -> Vec<(String, String)> {
    let out = &harness().out;
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        if !html.contains("data-pagefind-body") || !html.contains(&format!("<html lang=\"{lang}\"")) {
            continue;
        }
        let Some(start) = html.find("<h1") else { continue };
        let inner = &html[start + html[start..].find('>').unwrap() + 1..];
        let inner = &inner[..inner.find("</h1>").unwrap()];
        let mut title = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => title.push(c),
                _ => {}
            }
        }
        let rel = path.strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
        pages.push((format!("/{}", rel.strip_suffix("index.html").unwrap_or(&rel)), title.trim().to_string()));
    }
    pages.sort();
    assert!(pages.len() >= 2, "{lang}: too few indexed pages: {pages:?}");
    pages
}

/// The search box speaks the page's language, Azerbaijani included (Pagefind has no
/// Azerbaijani texts of its own), and `?q=` (the home page's SearchAction) searches at once.
#[test]
fn search_box_texts_are_in_the_page_language_and_q_searches_at_once() {
    let visit = harness().open("/az/search/?q=zzxxqqnothing");
    visit.wait_for("document.querySelector('.pagefind-ui__message')", Duration::from_secs(15));
    visit.wait_for(
        "(document.querySelector('.pagefind-ui__message') || {}).textContent.includes('nəticə yoxdur')",
        Duration::from_secs(10),
    );
    let value: String = visit.eval("document.querySelector('.pagefind-ui__search-input').value");
    assert_eq!(value, "zzxxqqnothing");
    let labelled: String =
        visit.eval("document.querySelector('.pagefind-ui__search-input').getAttribute('aria-labelledby') || ''");
    assert_eq!(labelled, "search-label");
    assert!(visit.problems().is_empty(), "az search: {:?}", visit.problems());
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Deserialize, Debug)]
struct Violation {
    id: String,
    help: String,
    nodes: Vec<String>,
}

#[test]
fn axe_finds_no_accessibility_violations_in_english_and_arabic() {
    let axe_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}; run `.ci/run install` (npm ci) first", axe_path.display()));
    let mut failures = Vec::new();
    for lang in ["en", "ar"] {
        let root = lang_prefix(lang);
        let article = harness().first_article(lang);
        let pages = [
            ("home", root.clone()),
            ("news listing", format!("{root}news/")),
            ("article", article.trim_start_matches('/').to_string()),
            ("partner", format!("{root}partners/wasme/")),
            ("search", format!("{root}search/")),
        ];
        for (kind, path) in pages {
            let visit = harness().open(&path);
            if kind == "search" {
                visit.wait_for("document.querySelector('.pagefind-ui__search-input')", Duration::from_secs(10));
            }
            let _: bool = visit.eval(&format!("(() => {{ {axe}\n; return true; }})()"));
            let violations: Vec<Violation> = visit.eval(
                "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')) })))",
            );
            for v in violations {
                failures.push(format!("{lang} {kind} ({}): {} — {}\n    {}", visit.url, v.id, v.help, v.nodes.join("\n    ")));
            }
        }
    }
    assert!(failures.is_empty(), "axe-core violations:\n{}", failures.join("\n"));
}

/// Where screenshots go for people to look at.
fn screenshots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

#[test]
fn screenshots_of_home_and_article_in_every_language() {
    let dir = screenshots();
    for lang in LANGUAGES {
        let article = harness().first_article(lang);
        for (name, path) in [("home", lang_prefix(lang)), ("article", article.trim_start_matches('/').to_string())] {
            let visit: Visit = harness().open(&path);
            let file = dir.join(format!("{lang}-{name}.png"));
            visit.screenshot(&file);
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            assert!(size > 10_000, "{} is only {size} bytes: is the page blank?", file.display());
        }
    }
}

/// The network in every language: the English and Arabic news lists show the articles written
/// in other languages with a visible badge and a working link, and a stand-in page shows its
/// notice and the link to the original, on a phone and on a desktop. Screenshots go to
/// `target/screenshots/` for people to look at.
#[test]
fn untranslated_articles_show_a_visible_badge_and_link_on_phone_and_desktop() {
    let dir = screenshots();
    std::fs::create_dir_all(&dir).unwrap();
    let stand_in = "news/لقاء-جهوي-بوجدة-حول-تعزيز-الابتكار-وريادة-الأعمال-التعاونية/".to_string();
    let pages = [("en-news", "news/".to_string()), ("ar-news", "ar/news/".to_string()), ("en-stand-in", stand_in)];
    for (viewport, size) in [("phone", (360, 740)), ("desktop", harness::VIEWPORT)] {
        for (name, path) in &pages {
            let visit = harness().open_at(&harness().origin, path, size);
            visit.screenshot(&dir.join(format!("network-{name}-{viewport}.png")));
            // Every badge and the link beside it are on screen: not hidden, not clipped, not empty.
            let (badges, visible, links): (usize, usize, usize) = visit.eval(
                "(() => {
                    const shown = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
                            && r.right <= document.documentElement.clientWidth + 1 && r.left >= -1 && e.textContent.trim() !== ''; };
                    const badges = [...document.querySelectorAll('main .badge')];
                    const links = [...document.querySelectorAll('main .card--stand-in .card__title a, main .stand-in__read a')];
                    return [badges.length, badges.filter(shown).length, links.filter(shown).length];
                })()",
            );
            assert!(badges > 0, "{}: no language badge", visit.url);
            assert_eq!(visible, badges, "{}: a badge is not visible", visit.url);
            assert!(links > 0, "{}: no visible link to an untranslated article", visit.url);
            assert!(visit.problems().is_empty(), "{}: {:?}", visit.url, visit.problems());
        }
    }
}

/// An article with a figure and a video placeholder, in English and Arabic: its images load from
/// the site, nothing at all is requested from another host until the reader presses Play, and
/// then the privacy-enhanced player takes the placeholder's place. The Arabic caption and credit
/// read right to left.
#[test]
fn figures_and_videos_load_nothing_from_outside_before_the_click() {
    let h = harness();
    for (lang, path) in
        [("en", "news/the-2024-international-conference-of-ngos-icngo/"), ("ar", "ar/news/نظمت-شبكة-وليلي-volubilis-network/")]
    {
        let visit = h.open(path);
        // Lazy images below the fold load once scrolled to.
        let _: bool =
            visit.eval("(document.querySelector('.figure').scrollIntoView(), new Promise(r => setTimeout(() => r(true), 500)))");
        visit.wait_for(
            "[...document.querySelectorAll('.figure img, .article__hero img')].every(i => i.complete && i.naturalWidth > 0)",
            Duration::from_secs(10),
        );
        let (figures, placeholders, frames): (usize, usize, usize) = visit.eval(
            "[document.querySelectorAll('.prose .figure picture').length, document.querySelectorAll('.video__placeholder').length, document.querySelectorAll('iframe').length]",
        );
        assert_eq!((figures, placeholders, frames), (1, 1, 0), "{lang}: figure, placeholder, no player yet");
        let outside: Vec<String> =
            visit.requested().into_iter().filter(|u| !u.starts_with(&h.origin) && !u.starts_with("data:")).collect();
        assert!(outside.is_empty(), "{lang}: requests left 127.0.0.1 before the click: {outside:?}");
        assert!(visit.problems().is_empty(), "{lang}: {:?}", visit.problems());
        let images: Vec<String> =
            visit.eval("[...document.querySelectorAll('.prose .figure img, .article__hero img')].map(i => i.currentSrc)");
        assert!(
            images.iter().all(|u| u.starts_with(&h.origin) && u.contains("/processed_images/") && u.ends_with(".webp")),
            "{lang}: {images:?}"
        );
        if lang == "ar" {
            let (direction, align): (String, String) =
                visit.eval("(c => [getComputedStyle(c).direction, getComputedStyle(c).textAlign])(document.querySelector('.prose .figure figcaption'))");
            assert_eq!((direction.as_str(), align.as_str()), ("rtl", "start"), "Arabic caption");
        }

        let _: bool = visit.eval("(document.querySelector('.video__play').click(), true)");
        visit.wait_for("document.querySelector('iframe.video__player')", Duration::from_secs(5));
        let player: String = visit.eval("document.querySelector('iframe.video__player').src");
        assert!(player.starts_with("https://www.youtube-nocookie.com/embed/"), "{lang}: {player}");
    }
}
