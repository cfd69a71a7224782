//! Data for a page's `<head>` that templates print as is: Open Graph locales (`page.og_locale`,
//! `page.og_locale_alternates`) and the JSON-LD `NewsArticle` (`page.jsonld`).

use crate::config::{SiteConfig, TaxonomyRole};
use crate::content::{Page, Site};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// `og:locale` for a language code: `language_TERRITORY` with the territory CLDR deems likely
/// (`hi` -> `hi_IN`, `az` -> `az_AZ`), the code's own region when it has one, else the language.
pub fn og_locale(code: &str) -> String {
    let Ok(mut id) = code.parse::<icu::locale::LanguageIdentifier>() else {
        return code.replace('-', "_");
    };
    let language = id.language.to_string();
    if id.region.is_none() {
        icu::locale::LocaleExpander::new_common().maximize(&mut id);
    }
    match id.region {
        Some(region) => format!("{language}_{region}"),
        None => language,
    }
}

/// `og:locale:alternate` values for the other languages the content exists in (`existing`:
/// language -> URL), in site language order.
pub fn og_locale_alternates(config: &SiteConfig, current: &str, existing: &BTreeMap<&str, &str>) -> Vec<String> {
    config.language_codes().into_iter().filter(|l| *l != current && existing.contains_key(l)).map(og_locale).collect()
}

/// The page as a schema.org `NewsArticle`, serialised so it can sit inside a `<script>` element:
/// every `<` is written `\u003c`, so no `</script>` or `<!--` can end or change the element.
/// `image` is the page's image as an absolute URL.
pub fn news_article(site: &Site, page: &Page, image: Option<&str>) -> String {
    let config = &site.config;
    let permalink = config.absolute(&page.url);
    let mut article = Map::new();
    article.insert("@context".into(), "https://schema.org".into());
    article.insert("@type".into(), "NewsArticle".into());
    article.insert("headline".into(), page.title.clone().into());
    if let Some(d) = &page.front.description {
        article.insert("description".into(), d.clone().into());
    }
    article.insert("url".into(), permalink.clone().into());
    article.insert("mainEntityOfPage".into(), json!({"@type": "WebPage", "@id": permalink}));
    article.insert("inLanguage".into(), page.lang.clone().into());
    if let Some(published) = page.published() {
        article.insert("datePublished".into(), published.into());
    }
    if let Some(modified) = page.modified() {
        article.insert("dateModified".into(), modified.into());
    }
    if let Some(image) = image {
        article.insert("image".into(), json!([image]));
    }
    let title = config.language_title(&page.lang);
    let mut publisher =
        json!({"@type": "Organization", "name": title, "url": config.absolute(&config.language_root(&page.lang))});
    if let Some(logo) = config.extra.get("logo").and_then(Value::as_str) {
        publisher["logo"] = json!({"@type": "ImageObject", "url": absolute_from_base(site, logo)});
    }
    article.insert("publisher".into(), publisher);
    if let Some(source) = &page.front.source {
        article.insert("sourceOrganization".into(), json!({"@type": "Organization", "name": source}));
    }
    if let Some(place) = &page.shared.place {
        article.insert("contentLocation".into(), json!({"@type": "Place", "name": place}));
    }
    let terms_with =
        |role| config.taxonomy_with_role(role).and_then(|t| page.shared.taxonomies.get(&t.name)).into_iter().flatten();
    let partners: Vec<Value> = terms_with(TaxonomyRole::Partners)
        .map(|key| {
            let mut org = json!({"@type": "Organization", "name": config.partner(key).map_or(key.as_str(), |p| p.display_name(&page.lang))});
            if let Some(url) = config.partner(key).and_then(|p| p.url.as_deref()) {
                org["url"] = url.into();
            }
            org
        })
        .collect();
    if !partners.is_empty() {
        article.insert("about".into(), partners.into());
    }
    let keywords_taxonomy = config.taxonomy_with_role(TaxonomyRole::Keywords).map_or("", |t| t.name.as_str());
    let keywords: Vec<String> =
        terms_with(TaxonomyRole::Keywords).map(|t| config.term_name(&page.lang, keywords_taxonomy, t)).collect();
    if !keywords.is_empty() {
        article.insert("keywords".into(), keywords.join(", ").into());
    }
    script_safe(&Value::Object(article))
}

/// A partner's page (in the folder of the `role: partners` taxonomy) as a schema.org
/// `Organization`: its name, its website (`extra.website`, else the registry's URL) and its
/// other names from the registry.
pub fn organization(site: &Site, page: &Page) -> String {
    let config = &site.config;
    let key = page.front.extra.get("partner").and_then(Value::as_str).unwrap_or(&page.slug);
    let mut org = json!({"@context": "https://schema.org", "@type": "Organization", "name": page.title,
        "mainEntityOfPage": config.absolute(&page.url)});
    let registry = config.partner(key);
    let website = page.front.extra.get("website").and_then(Value::as_str).or_else(|| registry.and_then(|p| p.url.as_deref()));
    if let Some(url) = website {
        org["url"] = url.into();
    }
    if let Some(names) = registry.and_then(|p| p.names.get(&page.lang)).filter(|n| n.len() > 1) {
        org["alternateName"] = names[1..].to_vec().into();
    }
    if let Some(d) = &page.front.description {
        org["description"] = d.clone().into();
    }
    script_safe(&org)
}

/// A language's home as a schema.org `WebSite` with a `SearchAction` on the site search page
/// (`search_url`, read with `?q=`), when the site has one.
pub fn website(site: &Site, lang: &str, search_url: Option<&str>) -> String {
    let config = &site.config;
    let mut web = json!({"@context": "https://schema.org", "@type": "WebSite", "name": config.language_title(lang),
        "url": config.absolute(&config.language_root(lang)), "inLanguage": lang});
    if let Some(search) = search_url {
        web["potentialAction"] = json!({"@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": format!("{}?q={{search_term_string}}", config.absolute(search))},
            "query-input": "required name=search_term_string"});
    }
    script_safe(&web)
}

/// JSON that can sit inside a `<script>` element as is.
fn script_safe(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// An image named in front matter: absolute URLs as they are, `/x.png` under the base path,
/// anything else relative to the page (a bundle's own file).
pub fn absolute_image(site: &Site, page: &Page, image: &str) -> String {
    if image.starts_with("http://") || image.starts_with("https://") {
        image.to_string()
    } else if image.starts_with('/') {
        absolute_from_base(site, image)
    } else {
        site.config.absolute(&format!("{}{image}", page.url))
    }
}

fn absolute_from_base(site: &Site, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.to_string();
    }
    site.config.absolute(&format!("{}{}", site.config.base_path(), path.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn og_locales_use_likely_territories() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("hi"), "hi_IN");
        assert_eq!(og_locale("az"), "az_AZ");
        assert_eq!(og_locale("en-GB"), "en_GB");
    }
}
