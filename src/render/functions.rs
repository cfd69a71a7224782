//! Template functions that read the site: `get_section`, `get_page`, `get_url` and
//! `get_taxonomy`. Listings they return hold the whole network's articles in the reader's
//! language (stand-ins included); every page they hand out is recorded for incremental updates.

use super::views::{SiteValues, term_value};
use crate::content::{Entry, Site};
use std::collections::BTreeMap;
use std::sync::Arc;
use tera::{Kwargs, State, TeraResult, Value};

/// Names of the functions [`register`] provides, registered as placeholders so templates
/// compile before the site is loaded.
pub fn register_placeholders(tera: &mut tera::Tera) {
    for name in ["get_section", "get_page", "get_url", "get_taxonomy"] {
        tera.register_function(name, |_: Kwargs, _: &State| -> TeraResult<Value> { Ok(Value::none()) });
    }
}

/// `lang=` when given, else the language of the page being rendered.
fn lang_of(kwargs: &Kwargs, state: &State) -> TeraResult<String> {
    match kwargs.get::<String>("lang")? {
        Some(l) => Ok(l),
        None => Ok(state.get::<String>("lang")?.unwrap_or_default()),
    }
}

pub fn register(tera: &mut tera::Tera, site: &Site, values: &Arc<SiteValues>) {
    register_get_section(tera, site, values.clone());
    register_get_page(tera, values.clone());
    register_get_url(tera, site);
    register_get_taxonomy(tera, site, values.clone());
}

/// `resize_image(path=, width=, format=)`: the image at `path` (relative to `content/`, or
/// `/x.jpg` in `static/`) resized to the widest configured width not above `width` (default:
/// the largest), as `{url, width, height, srcset, webp_srcset, html}`; `format="webp"` for the
/// WebP file.
pub fn register_resize_image(tera: &mut tera::Tera, images: Arc<crate::images::Images>) {
    use crate::images::{Format, Images};
    tera.register_function("resize_image", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path = kwargs.must_get::<String>("path")?;
        let width = kwargs.get::<u32>("width")?.unwrap_or(u32::MAX);
        let format = match kwargs.get::<String>("format")?.as_deref() {
            None | Some("auto") => None,
            Some("webp") => Some(Format::Webp),
            Some(other) => {
                return Err(tera::Error::message(format!("resize_image: `format=\"{other}\"`: use \"webp\" or \"auto\"")));
            }
        };
        let file =
            images.locate(&path, std::path::Path::new(crate::content::CONTENT_DIR)).filter(|f| Images::is_raster(f)).ok_or_else(
                || tera::Error::message(format!("resize_image: `{path}` is no JPEG, PNG or WebP file in content/ or static/")),
            )?;
        images.note_template_use();
        let processed = images.get(&file).map_err(tera::Error::message)?;
        let format = format.unwrap_or(processed.format);
        let variant = processed.fitting(width, format).unwrap_or(processed.largest());
        let mut value = crate::markdown::image_value(&processed, "", images.sizes());
        if let Some(map) = value.as_object_mut() {
            map.insert("url".into(), variant.url.clone().into());
            map.insert("width".into(), variant.width.into());
            map.insert("height".into(), variant.height.into());
        }
        Ok(Value::from_serializable(&value))
    });
}

/// Entries as values in `lang`, noting that the rendering job read their pages.
fn entry_values(values: &SiteValues, state: &State, entries: &[Entry], lang: &str) -> Vec<Value> {
    values.record(state, entries.iter().map(|e| e.page));
    entries.iter().map(|&e| values.entry(e, lang)).collect()
}

/// `get_section(path=, lang=, limit=)`: the section with `pages`, its listing.
fn register_get_section(tera: &mut tera::Tera, site: &Site, values: Arc<SiteValues>) {
    let index: BTreeMap<(String, String), usize> =
        site.sections.iter().enumerate().map(|(i, s)| ((s.content_path.clone(), s.lang.clone()), i)).collect();
    let listings: Vec<Vec<Entry>> = site.sections.iter().map(|s| s.listing.clone()).collect();
    tera.register_function("get_section", move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
        let path = kwargs.must_get::<String>("path")?;
        let path = path.trim_start_matches("@/").trim_end_matches("_index.md").trim_matches('/').to_string();
        let lang = lang_of(&kwargs, state)?;
        let limit = kwargs.get::<usize>("limit")?.unwrap_or(usize::MAX);
        let Some(&i) = index.get(&(path, lang.clone())) else { return Ok(Value::none()) };
        let listing = &listings[i][..limit.min(listings[i].len())];
        let mut m = values.sections[i].as_map().cloned().unwrap_or_default();
        m.insert("pages".into(), entry_values(&values, state, listing, &lang).into());
        m.insert("total_pages".into(), listings[i].len().into());
        Ok(Value::from(m))
    });
}

/// `get_page(path=, lang=)`: the page at a content path (or `key:<translation key>`).
fn register_get_page(tera: &mut tera::Tera, values: Arc<SiteValues>) {
    tera.register_function("get_page", move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
        let path = kwargs.must_get::<String>("path")?;
        let path = path.trim_start_matches("@/").trim_end_matches(".md").to_string();
        let lang = lang_of(&kwargs, state)?;
        let found = values.paths.read().unwrap_or_else(|e| e.into_inner()).get(&(path, lang)).copied();
        Ok(match found {
            Some(i) => {
                values.record(state, [i]);
                values.page(i)
            }
            None => Value::none(),
        })
    });
}

/// `get_url(path=, localized=)`: a path under the base path, or under the language's root.
fn register_get_url(tera: &mut tera::Tera, site: &Site) {
    let base_path = site.config.base_path();
    let roots: BTreeMap<String, String> =
        site.config.languages.iter().map(|l| (l.code.clone(), site.config.language_root(&l.code))).collect();
    tera.register_function("get_url", move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
        let path = kwargs.must_get::<String>("path")?;
        let lang = lang_of(&kwargs, state)?;
        let relative = path.trim_start_matches('/');
        Ok(match roots.get(&lang) {
            Some(root) if kwargs.get::<bool>("localized")?.unwrap_or(false) => format!("{root}{relative}"),
            _ => format!("{base_path}{relative}"),
        })
    });
}

/// `get_taxonomy(kind=, lang=, limit=)`: the taxonomy's terms in `lang`, each with its first
/// `limit` pages.
fn register_get_taxonomy(tera: &mut tera::Tera, site: &Site, values: Arc<SiteValues>) {
    let taxonomies = site.taxonomies.clone();
    tera.register_function("get_taxonomy", move |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
        let kind = kwargs.must_get::<String>("kind")?;
        let lang = lang_of(&kwargs, state)?;
        let limit = kwargs.get::<usize>("limit")?.unwrap_or(usize::MAX);
        let Some(terms) = taxonomies.get(&(lang.clone(), kind)) else { return Ok(Value::none()) };
        let mut sorted: Vec<&crate::content::taxonomies::Term> = terms.values().collect();
        crate::i18n::sort_by_name(&lang, &mut sorted, |t| &t.name);
        let list: Vec<Value> = sorted
            .into_iter()
            .map(|t| {
                let shown = &t.entries[..limit.min(t.entries.len())];
                let mut term = term_value(t);
                term.insert("pages".into(), entry_values(&values, state, shown, &lang).into());
                Value::from(term)
            })
            .collect();
        Ok(list.into())
    });
}
