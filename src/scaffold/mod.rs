//! `tessera new`: writes a working multilingual site (en, hi, az, ar) with the default theme,
//! which is compiled into the binary so a new site needs nothing but tessera itself.

use anyhow::{Context, Result, bail};
use include_dir::{Dir, include_dir};
use std::path::Path;

static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/network");

const SITE_YAML: &str = r#"# Site configuration: see README.md for every key.
base_url: https://example.org/
title: Our Network
default_language: en
theme: network
missing_translation: notice
paginate_by: 10
languages:
  - {code: en, name: English, weight: 1, title: Our Network}
  - {code: hi, name: हिन्दी, weight: 2, title: हमारा नेटवर्क}
  - {code: az, name: Azərbaycan dili, weight: 3, title: Şəbəkəmiz}
  - {code: ar, name: العربية, weight: 4, title: شبكتنا}
taxonomies:
  - {name: topics, feed: true}
  - {name: partners, feed: true, role: partners}
  - {name: countries}
partners: []
"#;

const PAGES: &[(&str, &str)] = &[
    ("content/_index.en.md", "---\ntitle: Our Network\n---\nWelcome to the network.\n"),
    ("content/_index.hi.md", "---\ntitle: हमारा नेटवर्क\n---\nनेटवर्क में आपका स्वागत है।\n"),
    ("content/_index.az.md", "---\ntitle: Şəbəkəmiz\n---\nŞəbəkəyə xoş gəlmisiniz.\n"),
    ("content/_index.ar.md", "---\ntitle: شبكتنا\n---\nمرحبا بكم في الشبكة.\n"),
    ("content/news/_index.en.md", "---\ntitle: News\n---\n"),
    ("content/news/_index.hi.md", "---\ntitle: समाचार\n---\n"),
    ("content/news/_index.az.md", "---\ntitle: Xəbərlər\n---\n"),
    ("content/news/_index.ar.md", "---\ntitle: الأخبار\n---\n"),
    ("content/search.en.md", "---\ntitle: Search\ntemplate: search.html\n---\n"),
    ("content/search.hi.md", "---\ntitle: खोज\ntemplate: search.html\n---\n"),
    ("content/search.az.md", "---\ntitle: Axtarış\ntemplate: search.html\n---\n"),
    ("content/search.ar.md", "---\ntitle: بحث\ntemplate: search.html\n---\n"),
    ("content/about.en.md", "---\ntitle: About\n---\nWho we are and how we work together.\n"),
    ("content/about.ar.md", "---\ntitle: من نحن\n---\nمن نحن وكيف نعمل معاً.\n"),
    (
        "content/news/first-meeting.en.md",
        "---\ntitle: Our first meeting\ndate: 2024-12-22\ntaxonomies:\n  topics: [cooperation]\n---\nThe network met for the first time.\n",
    ),
    (
        "content/news/first-meeting.ar.md",
        "---\ntitle: اجتماعنا الأول\ndate: 2024-12-22\ntaxonomies:\n  topics: [التعاون]\n---\nاجتمعت الشبكة لأول مرة.\n",
    ),
];

/// Creates the site in `dir`, which must not exist or be empty.
pub fn new_site(dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty: choose a new folder", dir.display());
    }
    let theme_dir = dir.join("themes/network");
    std::fs::create_dir_all(&theme_dir).with_context(|| format!("cannot create {}", theme_dir.display()))?;
    THEME.extract(&theme_dir).with_context(|| format!("cannot write the theme into {}", theme_dir.display()))?;
    std::fs::write(dir.join("site.yaml"), SITE_YAML)?;
    for (path, text) in PAGES {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("scaffold paths have a folder"))?;
        std::fs::write(target, text)?;
    }
    for lang in ["en", "hi", "az", "ar"] {
        std::fs::create_dir_all(dir.join("locales").join(lang))?;
    }
    std::fs::create_dir_all(dir.join("templates"))?;
    Ok(())
}
