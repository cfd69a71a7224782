//! Writes a network site of any size on the bundled theme: articles in varying sets of languages
//! with per-language (Devanagari, Arabic, Azerbaijani) slugs tied by `translation_key`,
//! taxonomies with a term registry, and a partners registry with partner pages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The texts a generated site needs in one language. Languages the theme has no UI strings for
/// (a language "added late", e.g. `fr`) get the English texts.
struct Texts {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    news: &'static str,
    partners: &'static str,
    about: &'static str,
    about_body: &'static str,
    /// Article slug stem, title stem, heading and paragraph.
    slug: &'static str,
    story: &'static str,
    heading: &'static str,
    paragraph: &'static str,
    about_link: &'static str,
}

const EN: Texts = Texts {
    name: "English",
    title: "Partnership Network",
    description: "News from a network of cooperatives, NGOs and expert institutions.",
    news: "News",
    partners: "Partners",
    about: "About the network",
    about_body: "The network connects cooperatives, NGOs and expert institutions.",
    slug: "network-report",
    story: "Network report",
    heading: "What happened",
    paragraph: "Partners met to share what works for small enterprises. Read more",
    about_link: "about the network",
};

fn texts(lang: &str) -> Texts {
    match lang {
        "hi" => Texts {
            name: "हिन्दी",
            title: "साझेदारी नेटवर्क",
            description: "सहकारी संस्थाओं, गैर-सरकारी संगठनों और विशेषज्ञ संस्थानों के नेटवर्क से समाचार।",
            news: "समाचार",
            partners: "साझेदार",
            about: "नेटवर्क के बारे में",
            about_body: "यह नेटवर्क सहकारी संस्थाओं, गैर-सरकारी संगठनों और विशेषज्ञ संस्थानों को जोड़ता है।",
            slug: "नेटवर्क-समाचार",
            story: "नेटवर्क समाचार",
            heading: "क्या हुआ",
            paragraph: "साझेदारों ने छोटे उद्यमों के अनुभव साझा किए। और पढ़ें:",
            about_link: "नेटवर्क के बारे में",
        },
        "az" => Texts {
            name: "Azərbaycan dili",
            title: "Tərəfdaşlıq Şəbəkəsi",
            description: "Kooperativlər, QHT-lər və ekspert qurumları şəbəkəsindən xəbərlər.",
            news: "Xəbərlər",
            partners: "Tərəfdaşlar",
            about: "Şəbəkə haqqında",
            about_body: "Şəbəkə kooperativləri, QHT-ləri və ekspert qurumlarını birləşdirir.",
            slug: "şəbəkə-xəbəri",
            story: "Şəbəkə xəbəri",
            heading: "Nə baş verdi",
            paragraph: "Tərəfdaşlar kiçik müəssisələr üçün təcrübə mübadiləsi etdilər. Ətraflı:",
            about_link: "şəbəkə haqqında",
        },
        "ar" => Texts {
            name: "العربية",
            title: "شبكة الشراكة",
            description: "أخبار شبكة من التعاونيات والمنظمات غير الحكومية ومؤسسات الخبرة.",
            news: "أخبار",
            partners: "الشركاء",
            about: "عن الشبكة",
            about_body: "تربط الشبكة بين التعاونيات والمنظمات غير الحكومية ومؤسسات الخبرة.",
            slug: "أخبار-الشبكة",
            story: "أخبار الشبكة",
            heading: "ماذا حدث",
            paragraph: "تبادل الشركاء تجاربهم في دعم المقاولات الصغيرة. اقرأ المزيد:",
            about_link: "عن الشبكة",
        },
        "fr" => Texts { name: "Français", ..EN },
        _ => EN,
    }
}

/// Languages with UI strings in the bundled theme; articles and partner pages exist only in these.
const THEMED: [&str; 4] = ["en", "hi", "az", "ar"];

/// A partner of the registry: key, website (may be empty), `(lang, "name, alias...")`.
type Partner = (&'static str, &'static str, [(&'static str, &'static str); 4]);

const PARTNERS: [Partner; 3] = [
    (
        "wasme",
        "https://wasmeinfo.org/",
        [
            ("en", "WASME"),
            ("hi", "WASME, विश्व लघु और मध्यम उद्यम संघ"),
            ("az", "WASME"),
            ("ar", "WASME, الرابطة العالمية للمؤسسات الصغيرة والمتوسطة"),
        ],
    ),
    (
        "unesco",
        "https://www.unesco.org/",
        [("en", "UNESCO"), ("hi", "यूनेस्को, UNESCO"), ("az", "UNESCO, YUNESKO"), ("ar", "اليونسكو, يونسكو")],
    ),
    (
        "volubilis",
        "",
        [("en", "Volubilis network, Volubilis"), ("hi", "वोलुबिलिस नेटवर्क"), ("az", "Volubilis şəbəkəsi"), ("ar", "شبكة وليلي")],
    ),
];

/// Writes a site with `articles` news articles in `langs` (the first is the default language)
/// under `dir/site`, and returns that root.
pub fn network_site(dir: &Path, articles: usize, langs: &[&str]) -> PathBuf {
    let root = dir.join("site");
    super::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/network"), &root.join("themes/network"));
    write(&root, "site.yaml", &site_yaml(articles, langs));

    for &lang in langs {
        let t = texts(lang);
        write(
            &root,
            &format!("content/_index.{lang}.md"),
            &format!("---\ntitle: \"{}\"\ndescription: \"{}\"\n---\n{}\n", t.title, t.description, t.description),
        );
        write(&root, &format!("content/news/_index.{lang}.md"), &format!("---\ntitle: \"{}\"\n---\n", t.news));
        write(&root, &format!("content/about.{lang}.md"), &format!("---\ntitle: \"{}\"\n---\n{}\n", t.about, t.about_body));
        write(
            &root,
            &format!("content/partners/_index.{lang}.md"),
            &format!("---\ntitle: \"{}\"\ntemplate: partners.html\n---\n", t.partners),
        );
    }
    for (key, url, names) in PARTNERS {
        for (lang, names) in names.iter().filter(|(lang, _)| langs.contains(lang)) {
            let name = names.split(", ").next().unwrap();
            let website = if url.is_empty() { String::new() } else { format!("extra:\n  website: {url}\n") };
            let page = format!("---\ntitle: \"{name}\"\ntemplate: partner.html\n{website}---\n{name}.\n");
            write(&root, &format!("content/partners/{key}.{lang}.md"), &page);
        }
    }
    for i in 0..articles {
        for (lang, page) in article(i, langs) {
            write(&root, &format!("content/news/{}-{i}.{lang}.md", texts(&lang).slug), &page);
        }
    }
    root
}

/// Runs `tessera build --root ROOT --output OUT` and panics with its output if it fails.
pub fn build_to(root: &Path, out: &Path) {
    let result = super::tessera(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(
        result.status.success(),
        "build of {} failed:\n{}\n{}",
        root.display(),
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

fn site_yaml(articles: usize, langs: &[&str]) -> String {
    let mut y = format!(
        "# Generated for the tests: {articles} articles in {}.\nbase_url: https://example.org/\ntitle: {}\ndefault_language: {}\n\
         theme: network\npaginate_by: 5\nmissing_translation: notice\nsearch: false\nlanguages:\n",
        langs.join(", "),
        EN.title,
        langs[0]
    );
    for (weight, &lang) in langs.iter().enumerate() {
        let t = texts(lang);
        let _ = write!(
            y,
            "  - code: {lang}\n    name: {}\n    weight: {}\n    title: {}\n    description: {}\n",
            t.name,
            weight + 1,
            t.title,
            t.description
        );
    }
    y.push_str(
        "taxonomies:\n  - name: topics\n    terms:\n\
         \x20     - key: climate\n        names: {en: Climate, hi: जलवायु, az: İqlim, ar: المناخ}\n\
         \x20     - key: trade\n        names: {en: Trade, hi: व्यापार, az: Ticarət, ar: التجارة}\n\
         \x20 - name: countries\n  - name: partners\n    role: partners\n    render: false\npartners:\n",
    );
    for (key, url, names) in PARTNERS {
        let _ = writeln!(y, "  - key: {key}");
        if !url.is_empty() {
            let _ = writeln!(y, "    url: {url}");
        }
        y.push_str("    names:\n");
        for (lang, names) in names {
            let _ = writeln!(y, "      {lang}: [{names}]");
        }
    }
    y
}

/// The language files of article `i`: which languages it exists in varies with `i % 4` (all,
/// English only, Hindi and Arabic, Azerbaijani only). The first file carries the date (none on
/// every 7th article), topic and country; the others inherit them.
fn article(i: usize, langs: &[&str]) -> Vec<(String, String)> {
    let wanted: &[&str] = match i % 4 {
        0 => &THEMED,
        1 => &["en"],
        2 => &["hi", "ar"],
        _ => &["az"],
    };
    let mut present: Vec<&str> = wanted.iter().copied().filter(|l| langs.contains(l)).collect();
    if present.is_empty() {
        present.push(langs[0]);
    }
    present
        .iter()
        .enumerate()
        .map(|(n, &lang)| {
            let t = texts(lang);
            let mut fm = format!("---\ntitle: \"{} {i}\"\ntranslation_key: story-{i}\n", t.story);
            let mut taxonomies = String::new();
            if n == 0 {
                if !(i + 1).is_multiple_of(7) {
                    let _ = writeln!(fm, "date: 2025-{:02}-{:02}", 1 + (i / 28) % 12, 1 + i % 28);
                }
                let _ = writeln!(taxonomies, "  topics: [{}]", if i.is_multiple_of(2) { "climate" } else { "trade" });
                if i.is_multiple_of(5) {
                    taxonomies.push_str("  countries: [Morocco]\n");
                }
            }
            if i.is_multiple_of(3) {
                let _ = writeln!(taxonomies, "  partners: [{}]", PARTNERS[i / 3 % PARTNERS.len()].0);
            }
            if !taxonomies.is_empty() {
                let _ = write!(fm, "taxonomies:\n{taxonomies}");
            }
            let body = format!("---\n## {} {i}\n\n{} [{}](@/about.md).\n", t.heading, t.paragraph, t.about_link);
            (lang.to_string(), fm + &body)
        })
        .collect()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
