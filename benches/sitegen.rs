//! Generates the benchmark site: N articles in en, hi, az and ar, as tessera content and as the
//! same content for Hugo (which also reads `name.<lang>.md` translations), with equivalent
//! templates on both sides: a page template and a paginated list template.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

pub const LANGS: [(&str, &str); 4] = [("en", "English"), ("hi", "हिन्दी"), ("az", "Azərbaycan dili"), ("ar", "العربية")];

const WORDS: [&[&str]; 4] = [
    &[
        "network",
        "partners",
        "cooperation",
        "conference",
        "sustainable",
        "development",
        "innovation",
        "members",
        "regional",
        "experts",
    ],
    &["नेटवर्क", "साझेदार", "सहयोग", "सम्मेलन", "सतत", "विकास", "नवाचार", "सदस्य", "क्षेत्रीय", "विशेषज्ञ"],
    &["şəbəkə", "tərəfdaşlar", "əməkdaşlıq", "konfrans", "davamlı", "inkişaf", "innovasiya", "üzvlər", "regional", "ekspertlər"],
    &["الشبكة", "الشركاء", "التعاون", "المؤتمر", "المستدامة", "التنمية", "الابتكار", "الأعضاء", "الجهوية", "الخبراء"],
];

fn paragraph(lang: usize, seed: usize, words: usize) -> String {
    let mut s = String::new();
    for w in 0..words {
        let word = WORDS[lang][(seed * 7 + w * 3) % WORDS[lang].len()];
        s.push_str(word);
        s.push(if w % 12 == 11 { '.' } else { ' ' });
    }
    s.push('.');
    s
}

/// Article body shared by both generators: ~400 words, two headings, a list.
pub fn body(lang: usize, i: usize) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "{}\n", paragraph(lang, i, 60));
    let _ = writeln!(b, "## {}\n", paragraph(lang, i + 1, 3).trim_end_matches('.'));
    let _ = writeln!(b, "{}\n", paragraph(lang, i + 2, 120));
    let _ = writeln!(b, "- {}\n- {}\n", paragraph(lang, i + 3, 8), paragraph(lang, i + 4, 8));
    let _ = writeln!(b, "## {}\n", paragraph(lang, i + 5, 2).trim_end_matches('.'));
    let _ = writeln!(b, "{}\n", paragraph(lang, i + 6, 200));
    b
}

fn date(i: usize) -> String {
    format!("20{:02}-{:02}-{:02}", 10 + i % 15, 1 + i % 12, 1 + i % 28)
}

/// Writes `n` articles per language for tessera into `root`; `search` adds the Pagefind index
/// (Hugo builds none).
pub fn tessera_site(root: &Path, n: usize, search: bool) {
    let news = root.join("content/news");
    std::fs::create_dir_all(&news).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let mut config = format!(
        "base_url: https://example.org/\ntitle: Bench\ndefault_language: en\npaginate_by: 10\nsearch: {search}\ntaxonomies:\n  - name: tags\nlanguages:\n"
    );
    for (w, (code, name)) in LANGS.iter().enumerate() {
        let _ = writeln!(config, "  - {{code: {code}, name: {name}, weight: {w}}}");
        std::fs::write(root.join(format!("content/_index.{code}.md")), "---\ntitle: Home\n---\n").unwrap();
        std::fs::write(news.join(format!("_index.{code}.md")), "---\ntitle: News\n---\n").unwrap();
    }
    std::fs::write(root.join("site.yaml"), config).unwrap();
    for i in 0..n {
        for (l, (code, _)) in LANGS.iter().enumerate() {
            let text = format!(
                "---\ntitle: \"{} {i}\"\ndate: {}\ntaxonomies:\n  tags: [t{}]\n---\n{}",
                paragraph(l, i, 4).trim_end_matches('.'),
                date(i),
                i % 50,
                body(l, i)
            );
            std::fs::write(news.join(format!("article-{i}.{code}.md")), text).unwrap();
        }
    }
    let t = |name: &str, text: &str| std::fs::write(root.join("templates").join(name), text).unwrap();
    t(
        "base.html",
        "<!doctype html>\n<html lang=\"{{ lang }}\" dir=\"{{ dir }}\"><head><meta charset=\"utf-8\"><title>{% block title %}{{ config.title }}{% endblock %}</title>\n{% for tr in translations %}{% if tr.exists %}<link rel=\"alternate\" hreflang=\"{{ tr.code }}\" href=\"{{ tr.permalink }}\">{% endif %}{% endfor %}</head>\n<body><nav>{% for tr in translations %}{% if tr.exists %}<a href=\"{{ tr.url }}\">{{ tr.name }}</a> {% endif %}{% endfor %}</nav><main>{% block content %}{% endblock %}</main></body></html>\n",
    );
    t(
        "page.html",
        "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock %}{% block content %}<article><h1>{{ page.title }}</h1><time>{{ page.date }}</time><p>{{ page.reading_time }} min</p>{{ page.content | safe }}</article>{% endblock %}",
    );
    let list = "{% extends \"base.html\" %}{% block content %}<h1>{{ section.title }}</h1><ul>{% for p in paginator.pages %}<li><a href=\"{{ p.url }}\">{{ p.title }}</a> {{ p.summary | safe }}</li>{% endfor %}</ul>{% if paginator.next %}<a href=\"{{ paginator.next }}\">next</a>{% endif %}{% endblock %}";
    t("section.html", list);
    t("index.html", list);
    t(
        "taxonomy_list.html",
        "{% extends \"base.html\" %}{% block content %}<ul>{% for t in terms %}<li><a href=\"{{ t.url }}\">{{ t.name }}</a></li>{% endfor %}</ul>{% endblock %}",
    );
    t(
        "taxonomy_term.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ term.name }}</h1><ul>{% for p in paginator.pages %}<li><a href=\"{{ p.url }}\">{{ p.title }}</a></li>{% endfor %}</ul>{% if paginator.next %}<a href=\"{{ paginator.next }}\">next</a>{% endif %}{% endblock %}",
    );
}

/// Writes the same articles for Hugo into `root`.
pub fn hugo_site(root: &Path, n: usize) {
    let news = root.join("content/news");
    std::fs::create_dir_all(&news).unwrap();
    let layouts = root.join("layouts/_default");
    std::fs::create_dir_all(&layouts).unwrap();
    let mut config = String::from(
        "baseURL = 'https://example.org/'\ntitle = 'Bench'\ndefaultContentLanguage = 'en'\npagination.pagerSize = 10\npaginate = 10\ndisableKinds = ['RSS', 'sitemap', 'robotsTXT']\n[taxonomies]\n  tag = 'tags'\n[languages]\n",
    );
    for (w, (code, name)) in LANGS.iter().enumerate() {
        let _ = writeln!(config, "  [languages.{code}]\n    languageName = '{name}'\n    weight = {}", w + 1);
        std::fs::write(root.join(format!("content/_index.{code}.md")), "---\ntitle: Home\n---\n").unwrap();
        std::fs::write(news.join(format!("_index.{code}.md")), "---\ntitle: News\n---\n").unwrap();
    }
    std::fs::write(root.join("hugo.toml"), config).unwrap();
    for i in 0..n {
        for (l, (code, _)) in LANGS.iter().enumerate() {
            let text = format!(
                "---\ntitle: \"{} {i}\"\ndate: {}\ntags: [t{}]\n---\n{}",
                paragraph(l, i, 4).trim_end_matches('.'),
                date(i),
                i % 50,
                body(l, i)
            );
            std::fs::write(news.join(format!("article-{i}.{code}.md")), text).unwrap();
        }
    }
    let t = |name: &str, text: &str| std::fs::write(layouts.join(name), text).unwrap();
    t(
        "baseof.html",
        "<!doctype html>\n<html lang=\"{{ .Site.Language.Lang }}\" dir=\"{{ .Site.Language.LanguageDirection | default \"ltr\" }}\"><head><meta charset=\"utf-8\"><title>{{ block \"title\" . }}{{ .Site.Title }}{{ end }}</title>\n{{ range .AllTranslations }}<link rel=\"alternate\" hreflang=\"{{ .Language.Lang }}\" href=\"{{ .Permalink }}\">{{ end }}</head>\n<body><nav>{{ range .AllTranslations }}<a href=\"{{ .RelPermalink }}\">{{ .Language.LanguageName }}</a> {{ end }}</nav><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    );
    t(
        "single.html",
        "{{ define \"title\" }}{{ .Title }}{{ end }}{{ define \"main\" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2006-01-02\" }}</time><p>{{ .ReadingTime }} min</p>{{ .Content }}</article>{{ end }}",
    );
    let list = "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ $p := .Paginate .Pages }}{{ range $p.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ if $p.HasNext }}<a href=\"{{ $p.Next.URL }}\">next</a>{{ end }}{{ end }}";
    t("list.html", list);
    t(
        "terms.html",
        "{{ define \"main\" }}<ul>{{ range .Data.Terms }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a></li>{{ end }}</ul>{{ end }}",
    );
}
