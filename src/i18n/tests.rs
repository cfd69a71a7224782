//! The `Localizer` against the fixture site in `testdata/`: plurals, fallback chains, site over
//! theme, warnings, direction, dates and numbers, and the Tera functions.

use super::*;
use crate::config::SiteConfig;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

const CONFIG: &str = r#"
base_url: https://example.org/
default_language: en
languages:
  - { code: en, name: English }
  - { code: hi, name: हिन्दी }
  - { code: ar, name: العربية, numbering_system: arab }
  - { code: az, name: Azərbaycan, fallback: [tr] }
  - { code: tr, name: Türkçe }
"#;

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/i18n/testdata")
}

fn config(yaml: &str) -> SiteConfig {
    serde_yaml::from_str(yaml).expect("test config parses")
}

fn fixture() -> Localizer {
    let root = testdata();
    match Localizer::load(&root.join("site"), Some(&root.join("theme")), &config(CONFIG)) {
        Ok(l) => l,
        Err(d) => panic!("{d}"),
    }
}

fn t(l: &Localizer, lang: &str, key: &str, args: &[(&str, serde_json::Value)]) -> String {
    l.translate(lang, key, args, "page.html")
}

#[test]
fn localizer_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Localizer>();
}

#[test]
fn arabic_plural_categories() {
    let l = fixture();
    let category = |n: i64| t(&l, "ar", "plural-category", &[("n", json!(n))]);
    assert_eq!([0, 1, 2, 3, 11, 100].map(category), ["zero", "one", "two", "few", "many", "other"]);
    // The same numbers through a real message, with Arabic-Indic digits (numbering_system: arab).
    let pages = |n: i64| t(&l, "ar", "pages", &[("count", json!(n))]);
    assert_eq!(pages(0), "لا توجد صفحات");
    assert_eq!(pages(1), "صفحة واحدة");
    assert_eq!(pages(2), "صفحتان");
    assert_eq!(pages(3), "٣ صفحات");
    assert_eq!(pages(11), "١١ صفحة");
    assert_eq!(pages(100), "١٠٠ صفحة");
}

#[test]
fn hindi_azerbaijani_and_english_plural_categories() {
    let l = fixture();
    let category = |lang: &str, n: f64| t(&l, lang, "plural-category", &[("n", json!(n))]);
    // CLDR: Hindi `one` is i = 0 or n = 1, so zero is `one` too.
    assert_eq!(category("hi", 0.0), "one");
    assert_eq!(category("hi", 1.0), "one");
    assert_eq!(category("hi", 2.0), "other");
    assert_eq!(category("az", 0.0), "other");
    assert_eq!(category("az", 1.0), "one");
    assert_eq!(category("az", 2.0), "other");
    assert_eq!(category("en", 0.0), "other");
    assert_eq!(category("en", 1.0), "one");
    assert_eq!(category("en", 1.5), "other");
    assert_eq!(t(&l, "en", "pages", &[("count", json!(1))]), "1 page");
    assert_eq!(t(&l, "en", "pages", &[("count", json!(2))]), "2 pages");
}

#[test]
fn numbers_in_messages_follow_cldr() {
    let l = fixture();
    assert_eq!(t(&l, "hi", "members", &[("count", json!(1234567))]), "12,34,567 सदस्य");
    assert_eq!(t(&l, "ar", "members", &[("count", json!(1234567))]), "١٬٢٣٤٬٥٦٧ عضو");
    assert_eq!(t(&l, "en", "members", &[("count", json!(1234567))]), "1,234,567 members");
}

#[test]
fn fallback_chain_ends_in_the_default_language() {
    let l = fixture();
    // az defines it itself.
    assert_eq!(t(&l, "az", "footer-note", &[]), "Tərəfdaşlar şəbəkəsi");
    // az lacks it; tr, its configured fallback, has it.
    assert_eq!(t(&l, "az", "site-title", &[]), "Ortaklık Ağı");
    // Neither az nor tr has it; the default language (from the theme) does.
    assert_eq!(t(&l, "az", "read-more", &[]), "Read more");
    // hi: no configured fallback, straight to en.
    assert_eq!(t(&l, "hi", "theme-only", &[]), "From the theme");
    // A string borrowed from English uses English plural rules and digits.
    assert_eq!(t(&l, "tr", "pages", &[("count", json!(1))]), "1 page");
    assert!(l.warnings().is_empty(), "{:?}", l.warnings());
}

#[test]
fn site_strings_override_the_theme() {
    let l = fixture();
    assert_eq!(t(&l, "en", "footer-note", &[]), "A network of partners");
    assert_eq!(t(&l, "hi", "footer-note", &[]), "साझेदारों का नेटवर्क");
    assert_eq!(t(&l, "hi", "read-more", &[]), "और पढ़ें");
    assert_eq!(t(&l, "en", "site-title", &[]), "Partnership Network");
}

#[test]
fn missing_key_warns_once_per_key_and_language() {
    let l = fixture();
    assert_eq!(t(&l, "az", "read-less", &[]), "read-less");
    assert_eq!(t(&l, "az", "read-less", &[]), "read-less");
    assert_eq!(l.translate("az", "read-less", &[], "list.html"), "read-less");
    assert_eq!(t(&l, "hi", "read-less", &[]), "read-less");
    assert_eq!(
        l.warnings(),
        [
            "warning: missing UI string `read-less` in language `az` (used by template `page.html`)",
            "warning: missing UI string `read-less` in language `hi` (used by template `page.html`)",
        ]
    );
}

#[test]
fn a_missing_variable_is_a_warning() {
    let l = fixture();
    assert_eq!(t(&l, "en", "posted-on", &[]), "Posted on {$date}");
    assert_eq!(l.warnings().len(), 1);
    assert!(l.warnings()[0].contains("`posted-on` in language `en`"), "{:?}", l.warnings());
}

#[test]
fn no_isolation_marks_in_any_output() {
    let l = fixture();
    let mut outputs = Vec::new();
    for lang in ["en", "hi", "ar", "az", "tr"] {
        for key in ["site-title", "pages", "members", "posted-on", "footer-note"] {
            let args = [("count", json!(3)), ("date", json!("22 December")), ("n", json!(2))];
            outputs.push(t(&l, lang, key, &args));
        }
    }
    // An argument that carries isolation marks loses them too.
    outputs.push(t(&l, "en", "posted-on", &[("date", json!("\u{2068}today\u{2069}"))]));
    assert_eq!(outputs.last().unwrap(), "Posted on today");
    for out in &outputs {
        assert!(!out.contains(['\u{2068}', '\u{2069}']), "{out:?}");
    }
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let site = tempfile::tempdir().unwrap();
    let dir = site.path().join("locales/en");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.ftl"), "hello = Hello\ngoodbye = Goodbye\nbroken = { $name\nafter = After\n").unwrap();
    let config = config("base_url: /\ndefault_language: en\nlanguages: [{ code: en, name: English }]\n");
    let errors = Localizer::load(site.path(), None, &config).err().expect("a syntax error fails the load");
    assert_eq!(errors.0.len(), 1, "{errors}");
    let error = &errors.0[0];
    assert_eq!(error.file, std::path::Path::new("locales/en/main.ftl"), "named relative to the site root");
    // The unclosed `{` is noticed on line 4; the error points where `}` was due on line 3.
    assert_eq!((error.line, error.column), (3, 17), "{error}");
    assert!(error.to_string().contains("main.ftl:3:17: error: "), "{error}");
    assert_eq!(error.message, r#"Fluent syntax error: Expected a token starting with "}""#);
}

#[test]
fn duplicate_ids_in_one_layer_and_bad_config_are_reported_together() {
    let site = tempfile::tempdir().unwrap();
    let dir = site.path().join("locales/en");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.ftl"), "hello = Hello\n").unwrap();
    std::fs::write(dir.join("b.ftl"), "# comment\n\nhello = Hi\n").unwrap();
    let config = config(
        "base_url: /\ndefault_language: en\nlanguages:\n  - { code: en, name: English, fallback: [xx] }\n  - { code: ar, name: Arabic, numbering_system: roman }\n",
    );
    let errors = Localizer::load(site.path(), None, &config).err().expect("errors");
    let text = errors.to_string();
    assert_eq!(errors.0.len(), 3, "{text}");
    assert!(text.contains("b.ftl:3:1: error: `hello` is defined twice; first at"), "{text}");
    assert!(text.contains("falls back to `xx`"), "{text}");
    assert!(text.contains("numbering system `roman` is not supported"), "{text}");
}

#[test]
fn directions_from_cldr_and_config() {
    let l = fixture();
    assert_eq!(l.direction("ar"), Direction::Rtl);
    assert_eq!(l.direction("en"), Direction::Ltr);
    assert_eq!(l.direction("hi"), Direction::Ltr);
    assert_eq!(l.direction("az"), Direction::Ltr);
    // Not configured: straight from CLDR.
    assert_eq!(l.direction("he"), Direction::Rtl);
    let overridden = Localizer::load(
        &testdata().join("site"),
        None,
        &config("base_url: /\ndefault_language: ar\nlanguages: [{ code: ar, name: Arabic, dir: ltr }]\n"),
    )
    .unwrap();
    assert_eq!(overridden.direction("ar"), Direction::Ltr);
}

#[test]
fn dates_and_numbers_per_language() {
    let l = fixture();
    assert_eq!(l.format_date("en", "2024-12-22", DateLength::Long).unwrap(), "December 22, 2024");
    assert_eq!(l.format_date("hi", "2024-12-22", DateLength::Long).unwrap(), "22 दिसंबर, 2024");
    assert_eq!(l.format_date("az", "2024-12-22", DateLength::Long).unwrap(), "22 dekabr 2024");
    // The fixture gives ar `numbering_system: arab`.
    assert_eq!(l.format_date("ar", "2024-12-22T09:00:00+03:00", DateLength::Long).unwrap(), "٢٢ ديسمبر ٢٠٢٤");
    assert_eq!(l.format_number("hi", 1234567.0), "12,34,567");
    assert_eq!(l.format_number("ar", 1234567.0), "١٬٢٣٤٬٥٦٧");
    assert_eq!(l.format_number("az", 0.5), "0,5");
}

#[test]
fn coverage_per_language() {
    let l = fixture();
    let used: BTreeSet<String> = ["site-title", "pages", "read-more", "footer-note", "members", "posted-on", "theme-only"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let coverage = l.coverage(&used);
    let by_lang = |code: &str| coverage.languages.iter().find(|c| c.language == code).unwrap().clone();
    let keys = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>();

    let en = by_lang("en");
    assert!(en.missing.is_empty(), "{:?}", en.missing);
    // `plural-category` is used by nobody; `old-banner` neither.
    assert_eq!(keys(&en.unused), ["old-banner", "plural-category"]);

    let az = by_lang("az");
    assert_eq!(keys(&az.missing), ["members", "old-banner", "posted-on", "read-more", "site-title", "theme-only"]);
    assert_eq!(keys(&az.present), ["footer-note", "pages", "plural-category"]);
    assert!(coverage.has_missing());
    let table = coverage.table();
    assert!(table.starts_with("language  present  missing  unused\nen "), "{table}");
    assert!(table.contains("az missing: members, old-banner, posted-on, read-more, site-title, theme-only"), "{table}");
}

#[test]
fn tera_functions_and_filters() {
    let localizer = Arc::new(fixture());
    let mut tera = ::tera::Tera::default();
    register(&mut tera, localizer.clone());
    tera.add_raw_template(
        "page.html",
        r#"<html dir="{{ dir() }}">{{ t(key="pages", count=n) }}|{{ t(key="site-title", lang="tr") }}|{{ date | date }}|{{ date | date(length="short", lang="en") }}|{{ big | number }}|{{ t(key="nope") }}"#,
    )
    .unwrap();
    let render = |lang: &str| {
        let mut ctx = ::tera::Context::new();
        ctx.insert("lang", lang);
        ctx.insert("template_name", "page.html");
        ctx.insert("n", &3);
        ctx.insert("date", "2024-12-22");
        ctx.insert("big", &1234567);
        tera.render("page.html", &ctx).unwrap()
    };
    assert_eq!(render("ar"), r#"<html dir="rtl">٣ صفحات|Ortaklık Ağı|٢٢ ديسمبر ٢٠٢٤|12/22/24|١٬٢٣٤٬٥٦٧|nope"#);
    assert_eq!(render("hi"), r#"<html dir="ltr">3 पृष्ठ|Ortaklık Ağı|22 दिसंबर, 2024|12/22/24|12,34,567|nope"#);
    assert_eq!(
        localizer.warnings(),
        [
            "warning: missing UI string `nope` in language `ar` (used by template `page.html`)",
            "warning: missing UI string `nope` in language `hi` (used by template `page.html`)",
        ]
    );
}

#[test]
fn tera_errors_are_readable() {
    let mut tera = ::tera::Tera::default();
    register(&mut tera, Arc::new(fixture()));
    tera.add_raw_template("a.html", r#"{{ t(key="pages") }}"#).unwrap();
    tera.add_raw_template("b.html", r#"{{ "2024-12-22" | date(length="huge", lang="en") }}"#).unwrap();
    let ctx = ::tera::Context::new();
    let a = format!("{:?}", tera.render("a.html", &ctx).unwrap_err());
    assert!(a.contains("no `lang` in the context"), "{a}");
    let b = format!("{:?}", tera.render("b.html", &ctx).unwrap_err());
    assert!(b.contains("`length` is `huge`"), "{b}");
}

#[test]
fn shared_across_threads() {
    let l = Arc::new(fixture());
    std::thread::scope(|scope| {
        for n in 0..4i64 {
            let l = l.clone();
            scope.spawn(move || {
                for _ in 0..50 {
                    assert_eq!(t(&l, "hi", "members", &[("count", json!(100000 + n))]), format!("1,00,00{n} सदस्य"));
                    assert_eq!(t(&l, "az", "missing-everywhere", &[]), "missing-everywhere");
                }
            });
        }
    });
    assert_eq!(l.warnings().len(), 1);
}

#[test]
fn built_in_shortcode_strings_parse_in_every_language() {
    for code in ["en", "fr", "es", "ar", "hi", "az", "de"] {
        let mut diagnostics = crate::diagnostics::Diagnostics::default();
        let strings = super::fluent::LanguageStrings::load(code, 0, &[], &mut diagnostics);
        for id in ["figure-credit", "video-notice", "video-play", "video-watch-on", "document-meta"] {
            assert!(strings.has(id), "{code}: {id}");
        }
    }
}
