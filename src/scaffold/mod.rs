//! `tessera new`: writes a working multilingual site with the default theme, which is compiled
//! into the binary so a new site needs nothing but tessera itself. The site's languages are
//! chosen with `--languages` (default en, hi, az, ar; the first is the default language);
//! besides content it gets a README, a `.gitignore` and a GitHub Pages workflow.

use anyhow::{Context, Result, bail};
use include_dir::{Dir, include_dir};
use std::fmt::Write as _;
use std::path::Path;

static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/network");

/// The languages of a new site when none are chosen.
pub const DEFAULT_LANGUAGES: &[&str] = &["en", "hi", "az", "ar"];

/// The starter texts of a new site in one language.
struct Texts {
    name: &'static str,
    title: &'static str,
    welcome: &'static str,
    news: &'static str,
    search: &'static str,
    about: &'static str,
    about_body: &'static str,
    meeting: &'static str,
    meeting_body: &'static str,
    topic: &'static str,
}

const EN: Texts = Texts {
    name: "English",
    title: "Our Network",
    welcome: "Welcome to the network.",
    news: "News",
    search: "Search",
    about: "About",
    about_body: "Who we are and how we work together.",
    meeting: "Our first meeting",
    meeting_body: "The network met for the first time.",
    topic: "cooperation",
};

/// Starter texts per language; `None` for a language tessera has none for (English is used).
fn texts(lang: &str) -> Option<Texts> {
    let t = |name, title, welcome, news, search, about, about_body, meeting, meeting_body, topic| Texts {
        name,
        title,
        welcome,
        news,
        search,
        about,
        about_body,
        meeting,
        meeting_body,
        topic,
    };
    Some(match lang {
        "en" => EN,
        "hi" => t(
            "हिन्दी",
            "हमारा नेटवर्क",
            "नेटवर्क में आपका स्वागत है।",
            "समाचार",
            "खोज",
            "परिचय",
            "हम कौन हैं और साथ मिलकर कैसे काम करते हैं।",
            "हमारी पहली बैठक",
            "नेटवर्क की पहली बैठक हुई।",
            "सहयोग",
        ),
        "az" => t(
            "Azərbaycan dili",
            "Şəbəkəmiz",
            "Şəbəkəyə xoş gəlmisiniz.",
            "Xəbərlər",
            "Axtarış",
            "Haqqımızda",
            "Biz kimik və birlikdə necə işləyirik.",
            "İlk görüşümüz",
            "Şəbəkə ilk dəfə toplandı.",
            "əməkdaşlıq",
        ),
        "ar" => t(
            "العربية",
            "شبكتنا",
            "مرحبا بكم في الشبكة.",
            "الأخبار",
            "بحث",
            "من نحن",
            "من نحن وكيف نعمل معاً.",
            "اجتماعنا الأول",
            "اجتمعت الشبكة لأول مرة.",
            "التعاون",
        ),
        "fr" => t(
            "Français",
            "Notre réseau",
            "Bienvenue dans le réseau.",
            "Actualités",
            "Recherche",
            "À propos",
            "Qui nous sommes et comment nous travaillons ensemble.",
            "Notre première réunion",
            "Le réseau s’est réuni pour la première fois.",
            "coopération",
        ),
        "es" => t(
            "Español",
            "Nuestra red",
            "Bienvenidos a la red.",
            "Noticias",
            "Buscar",
            "Quiénes somos",
            "Quiénes somos y cómo trabajamos juntos.",
            "Nuestra primera reunión",
            "La red se reunió por primera vez.",
            "cooperación",
        ),
        _ => return None,
    })
}

/// Creates the site in `dir` (which must not exist or be empty) in `languages`, the first being
/// the default. Returns the languages tessera had no starter texts for (they get English ones).
pub fn new_site(dir: &Path, languages: &[String]) -> Result<Vec<String>> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty: choose a new folder", dir.display());
    }
    if languages.is_empty() {
        bail!("name at least one language, e.g. --languages en,fr,ar");
    }
    for lang in languages {
        if lang.parse::<unic_langid::LanguageIdentifier>().is_err() || lang.contains(['/', '\\', '.']) {
            bail!("`{lang}` is not a language code (BCP 47, e.g. `fr` or `pt-BR`)");
        }
    }
    let theme_dir = dir.join("themes/network");
    std::fs::create_dir_all(&theme_dir).with_context(|| format!("cannot create {}", theme_dir.display()))?;
    THEME.extract(&theme_dir).with_context(|| format!("cannot write the theme into {}", theme_dir.display()))?;
    let mut without_texts = Vec::new();
    let mut files = vec![
        ("site.yaml".to_string(), site_yaml(languages)),
        ("README.md".to_string(), SITE_README.to_string()),
        (".gitignore".to_string(), "public/\n.tessera-spare-public/\n.tessera-cache/\n".to_string()),
        (".github/workflows/deploy.yml".to_string(), WORKFLOW.to_string()),
    ];
    for lang in languages {
        let t = texts(lang).unwrap_or_else(|| {
            without_texts.push(lang.clone());
            EN
        });
        files.extend(pages(lang, &t));
    }
    for (path, text) in files {
        let target = dir.join(&path);
        std::fs::create_dir_all(target.parent().expect("scaffold paths have a folder"))?;
        std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
    }
    for lang in languages {
        std::fs::create_dir_all(dir.join("locales").join(lang))?;
    }
    std::fs::create_dir_all(dir.join("templates"))?;
    Ok(without_texts)
}

fn site_yaml(languages: &[String]) -> String {
    let mut y = format!(
        "# Site configuration: see tessera's README for every key.\nbase_url: https://example.org/\ntitle: {}\n\
         default_language: {}\ntheme: network\nmissing_translation: notice\npaginate_by: 10\nlanguages:\n",
        EN.title, languages[0]
    );
    for (i, lang) in languages.iter().enumerate() {
        let t = texts(lang).unwrap_or(EN);
        let name = if texts(lang).is_some() { t.name.to_string() } else { lang.clone() };
        let _ = writeln!(y, "  - {{code: {lang}, name: {name}, weight: {}, title: {}}}", i + 1, t.title);
    }
    y.push_str("taxonomies:\n  - {name: topics, feed: true}\n  - {name: partners, feed: true, role: partners}\n  - {name: countries}\npartners: []\n");
    y
}

fn pages(lang: &str, t: &Texts) -> Vec<(String, String)> {
    let page = |title: &str, extra: &str, body: &str| format!("---\ntitle: \"{title}\"\n{extra}---\n{body}\n");
    vec![
        (format!("content/_index.{lang}.md"), page(t.title, "", t.welcome)),
        (format!("content/news/_index.{lang}.md"), page(t.news, "", "")),
        (format!("content/search.{lang}.md"), page(t.search, "template: search.html\n", "")),
        (format!("content/about.{lang}.md"), page(t.about, "", t.about_body)),
        (
            format!("content/news/first-meeting.{lang}.md"),
            page(
                t.meeting,
                &format!("description: \"{}\"\ndate: 2024-12-22\ntaxonomies:\n  topics: [\"{}\"]\n", t.meeting_body, t.topic),
                t.meeting_body,
            ),
        ),
    ]
}

/// The new site's own README: the everyday commands.
const SITE_README: &str = r#"# Our network's site

Built with tessera. Content is in `content/` (one Markdown file per page and language, e.g.
`news/first-meeting.en.md`), the look in `themes/network/`, the settings in `site.yaml`.

- `tessera serve --watch`: preview at http://127.0.0.1:1111/, updated on every save;
  the translation status is at http://127.0.0.1:1111/_tessera/.
- `tessera check`: everything `build` checks, and what is left to translate or review.
- `tessera build`: the site in `public/`, ready for any static host.
- `tessera import article.txt`: a press release as a page; `tessera translate PAGE --to fr`
  starts a translation.

Publishing: pushing to GitHub publishes the site with GitHub Pages through
`.github/workflows/deploy.yml` (set `base_url` in `site.yaml` to the Pages address first).
"#;

/// GitHub Pages: build with tessera on every push to `main` and publish `public/`.
const WORKFLOW: &str = r#"# Builds the site with tessera and publishes it on GitHub Pages at every push to main.
# Settings > Pages > Source: GitHub Actions. Set TESSERA_GIT (repository variable) to the
# tessera repository to install from, if not the default below.
name: Deploy
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - name: Install tessera
        run: cargo install --locked --git "${{ vars.TESSERA_GIT || 'https://github.com/tessera-ssg/tessera' }}" tessera
      - name: Build
        run: tessera build --root . --output public
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#;
