//! What a page body shows besides text: images (resized into `<picture>`s), links to files of
//! its bundle (made root-relative so they work on listings, in feeds and in search results)
//! and shortcodes (rendered by their Tera templates).

use super::shortcodes::{self, Call};
use super::{LinkError, LinkResolver, Rendered, Source};
use crate::config::MarkdownConfig;
use crate::diagnostics::Diagnostic;
use crate::images::{Images, Processed};
use crate::render::templates::TemplateSources;
use pulldown_cmark::{Event, Tag, TagEnd};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

/// The image processor and, once the templates compile, the shortcode templates.
pub struct Media<'a> {
    pub images: &'a Images,
    pub shortcodes: Option<(&'a tera::Tera, &'a TemplateSources)>,
}

/// One page's view of the media: where its files are and its URL.
pub(super) struct PageMedia<'a> {
    images: &'a Images,
    /// The page's folder, relative to the site root.
    dir: &'a Path,
    url: &'a str,
    /// The body showed a resized image.
    used: std::cell::Cell<bool>,
}

impl Media<'_> {
    /// Renders `doc` with its shortcodes, images and cover image.
    pub(super) fn render(
        &self,
        doc: &Source,
        config: &MarkdownConfig,
        links: &dyn LinkResolver,
    ) -> Result<Rendered, Vec<LinkError>> {
        let mut errors = Vec::new();
        let dir = doc.file.parent().unwrap_or(Path::new(""));
        let page = PageMedia { images: self.images, dir, url: doc.url, used: std::cell::Cell::new(false) };
        let parsed = match self.shortcodes {
            Some(_) => shortcodes::parse(doc.body).unwrap_or_else(|e| {
                errors.extend(e.into_iter().map(|e| LinkError { line: e.line, message: e.message }));
                shortcodes::Parsed { text: doc.body.into(), calls: vec![] }
            }),
            None => shortcodes::Parsed { text: doc.body.into(), calls: vec![] },
        };
        let rendered = super::render_with(&parsed.text, doc.lang, config, links, Some(&page));
        let pieces: Vec<String> = parsed
            .calls
            .iter()
            .filter_map(|call| self.shortcode(call, doc, &page, config, links).map_err(|e| errors.push(e)).ok())
            .collect();
        let mut rendered = match rendered {
            Ok(rendered) if errors.is_empty() => rendered,
            result => {
                errors.extend(result.err().unwrap_or_default());
                errors.sort_by_key(|e| e.line);
                return Err(errors);
            }
        };
        rendered.html = shortcodes::fill(std::mem::take(&mut rendered.html), &pieces);
        rendered.summary = shortcodes::fill(std::mem::take(&mut rendered.summary), &pieces);
        rendered.word_count = rendered.word_count.saturating_sub(pieces.len());
        // A shortcode may show an image: counted as one.
        rendered.images = page.used.get() || !parsed.calls.is_empty();
        Ok(rendered)
    }

    /// The front matter's `image`, processed when it is a JPEG, PNG or WebP file of the site;
    /// an unreadable one is an error on the `image:` line.
    pub(super) fn cover(&self, doc: &Source) -> Result<Option<Arc<Processed>>, Diagnostic> {
        let Some(reference) = doc.image else { return Ok(None) };
        let dir = doc.file.parent().unwrap_or(Path::new(""));
        let Some(file) = self.images.locate(reference, dir).filter(|f| Images::is_raster(f)) else { return Ok(None) };
        self.images.get(&file).map(Some).map_err(|message| {
            let text = std::fs::read_to_string(self.images.root().join(doc.file)).unwrap_or_default();
            let line = text.lines().position(|l| l.trim_start().starts_with("image:")).map_or(1, |i| i + 1);
            Diagnostic::new(doc.file, line, 1, format!("`image: {reference}`: {message}"))
        })
    }

    /// One shortcode through `shortcodes/<name>.html`, with its arguments, the page's `lang`
    /// and `page_url`, its body as HTML, and for a `src` the processed `image` or the `file`.
    fn shortcode(
        &self,
        call: &Call,
        doc: &Source,
        page: &PageMedia,
        config: &MarkdownConfig,
        links: &dyn LinkResolver,
    ) -> Result<String, LinkError> {
        let fail = |message: String| LinkError { line: call.line, message };
        let (tera, templates) = self.shortcodes.ok_or_else(|| fail("shortcodes need the templates".into()))?;
        let name = format!("shortcodes/{}.html", call.name);
        let Some((_, source)) = templates.files.get(&name) else {
            let known: Vec<&str> =
                templates.files.keys().filter_map(|k| k.strip_prefix("shortcodes/")?.strip_suffix(".html")).collect();
            return Err(fail(format!(
                "unknown shortcode `{}`: add templates/{name}, or use one of: {}",
                call.name,
                known.join(", ")
            )));
        };
        let missing: Vec<String> = shortcodes::required(source)
            .into_iter()
            .filter(|r| call.args.get(r).and_then(Value::as_str).is_none_or(|v| v.trim().is_empty()))
            .collect();
        if !missing.is_empty() {
            let hint = if missing.iter().any(|m| m == "alt") {
                " (`alt` describes the image for readers who cannot see it)"
            } else {
                ""
            };
            return Err(fail(format!("shortcode `{}` needs {}{hint}", call.name, list(&missing))));
        }
        let mut ctx = tera::Context::new();
        for (key, value) in &call.args {
            ctx.insert(key.clone(), value);
        }
        ctx.insert("args", &call.args);
        ctx.insert("lang", doc.lang);
        ctx.insert("page_url", doc.url);
        ctx.insert("template_name", &name);
        if let Some(body) = &call.body {
            let html = super::render_with(body, doc.lang, config, links, Some(page))
                .map_err(|e| fail(e.into_iter().map(|e| e.message).next().unwrap_or_default()))?;
            ctx.insert("body", &html.html);
        }
        if let Some(src) = call.args.get("src").and_then(Value::as_str) {
            self.source_file(src, call, page, &mut ctx).map_err(fail)?;
        }
        tera.render(&name, &ctx).map_err(|e| {
            let diagnostic = templates.diagnostic(&e, &name);
            fail(format!("shortcode `{}`: {} ({}:{})", call.name, diagnostic.message, diagnostic.file.display(), diagnostic.line))
        })
    }

    /// `image` for a raster `src`, `file` (URL, type, size) for any other file of the site.
    fn source_file(&self, src: &str, call: &Call, page: &PageMedia, ctx: &mut tera::Context) -> Result<(), String> {
        if is_external(src) {
            ctx.insert("url", src);
            return Ok(());
        }
        let file = self
            .images
            .locate(src, page.dir)
            .ok_or_else(|| format!("shortcode `{}`: `src=\"{src}\"` names no file beside the page or in static/", call.name))?;
        if Images::is_raster(&file) {
            let processed = self.images.get(&file)?;
            let alt = call.args.get("alt").and_then(Value::as_str).unwrap_or("");
            ctx.insert("image", &image_value(&processed, alt, self.images.sizes()));
            ctx.insert("url", &processed.largest().url);
        } else {
            let url = page.resolve(src);
            let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            let kind = file.extension().map(|e| e.to_string_lossy().to_uppercase()).unwrap_or_default();
            let (size, unit) = match bytes {
                b if b >= 1_000_000 => ((b as f64 / 100_000.0).round() / 10.0, "MB"),
                b => (((b as f64 / 100.0).round() / 10.0).max(0.1), "kB"),
            };
            ctx.insert("file", &json!({ "url": url, "type": kind, "bytes": bytes, "size": size, "unit": unit }));
            ctx.insert("url", &url);
        }
        Ok(())
    }
}

/// A processed image as templates see it.
pub fn image_value(image: &Processed, alt: &str, sizes: &str) -> Value {
    let largest = image.largest();
    json!({
        "html": image.picture(alt, sizes, None, false),
        "url": largest.url,
        "width": largest.width,
        "height": largest.height,
        "srcset": image.srcset(image.format),
        "webp_srcset": image.srcset(crate::images::Format::Webp),
        "sizes": sizes,
    })
}

fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(" and ")
}

/// A URL of another site (or a scheme such as `mailto:`), as opposed to a path in this one.
fn is_external(reference: &str) -> bool {
    let scheme_end = reference.find(':');
    let path_start = reference.find(['/', '?', '#']).unwrap_or(reference.len());
    reference.starts_with("//") || scheme_end.is_some_and(|c| c < path_start)
}

/// A reference relative to the page (not `/x`, `#x`, `?x`, `@/x` or a URL).
fn is_relative(reference: &str) -> bool {
    !reference.is_empty() && !reference.starts_with(['/', '#', '?', '@']) && !is_external(reference)
}

impl PageMedia<'_> {
    /// A relative reference to a file beside the page: one of its bundle's files. Other
    /// relative links (`../other-page/`) stay as written.
    fn is_own_file(&self, reference: &str) -> bool {
        is_relative(reference) && !reference.starts_with("..") && self.images.locate(reference, self.dir).is_some()
    }

    /// `reference` as a root-relative URL when it is relative to the page.
    fn resolve(&self, reference: &str) -> String {
        match is_relative(reference) {
            true => format!("{}{}", self.url, reference.trim_start_matches("./")),
            false => reference.to_string(),
        }
    }

    /// Images into `<picture>`s (a missing or unreadable local image is an error), relative
    /// links and images into root-relative ones.
    pub(super) fn rewrite<'e>(
        &self,
        events: Vec<Event<'e>>,
        starts: &[usize],
        errors: &mut Vec<LinkError>,
        line_of: &dyn Fn(usize) -> usize,
    ) -> Vec<Event<'e>> {
        let mut out = Vec::with_capacity(events.len());
        let mut events = events.into_iter().enumerate().peekable();
        while let Some((i, event)) = events.next() {
            match event {
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    let mut inner = Vec::new();
                    for (_, e) in events.by_ref() {
                        if matches!(e, Event::End(TagEnd::Image)) {
                            break;
                        }
                        inner.push(e);
                    }
                    match self.picture(&dest_url, &inner) {
                        Ok(Some(html)) => out.push(Event::InlineHtml(html.into())),
                        Ok(None) => {
                            let dest_url = match self.is_own_file(&dest_url) {
                                true => self.resolve(&dest_url).into(),
                                false => dest_url,
                            };
                            out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                            out.extend(inner);
                            out.push(Event::End(TagEnd::Image));
                        }
                        Err(message) => {
                            errors.push(LinkError { line: line_of(starts.get(i).copied().unwrap_or(0)), message });
                        }
                    }
                }
                Event::Start(Tag::Link { link_type, dest_url, title, id }) if self.is_own_file(&dest_url) => {
                    let dest_url = self.resolve(&dest_url).into();
                    out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
                other => out.push(other),
            }
        }
        out
    }

    /// The `<picture>` for a local raster image; `None` for other images.
    fn picture(&self, dest: &str, inner: &[Event]) -> Result<Option<String>, String> {
        if is_external(dest) || !Images::is_raster(Path::new(dest.split(['?', '#']).next().unwrap_or(dest))) {
            return Ok(None);
        }
        let file = self
            .images
            .locate(dest, self.dir)
            .ok_or_else(|| format!("image `{dest}` not found: looked beside the page ({}) and in static/", self.dir.display()))?;
        let alt: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let processed: Arc<Processed> = self.images.get(&file)?;
        self.used.set(true);
        Ok(Some(processed.picture(&alt, self.images.sizes(), None, false)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert!(is_external("https://x.org/a.jpg"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn/x.jpg"));
        assert!(!is_external("photo.jpg"));
        assert!(!is_external("a/b:c.jpg"));
        assert!(is_relative("photo.jpg"));
        assert!(is_relative("./report.pdf"));
        assert!(!is_relative("/images/x.jpg"));
        assert!(!is_relative("#top"));
        assert!(!is_relative("@/news/x.md"));
    }
}
