//! tessera turns a multilingual content tree into a static site.
//!
//! The pipeline, one module per stage, plain data between them; [`build`] runs them in order
//! for `tessera build`, `tessera check` and `tessera serve --watch`:
//!
//! ```text
//! config   site.yaml                    -> SiteConfig
//! i18n     locales/**/*.ftl + CLDR      -> Localizer (t(), dates, numbers, directions)
//! content  content/**/*.md              -> Site (pages, sections, translations, terms, listings)
//! markdown page bodies                  -> Rendered (HTML, table of contents, summary, words)
//! render   Site + Rendered + templates  -> Output (path -> bytes; feeds, sitemaps, aliases)
//! search   Output (HTML pages)          -> Pagefind index under /pagefind/
//! output   Output                       -> the output folder, replaced atomically
//! ```
//!
//! Leaves every stage may use: [`urls`] (every URL the site writes), [`slug`], [`escape`],
//! [`diagnostics`], [`yaml`]. Beside the pipeline: [`serve`] (the dev server, on
//! [`build::Session`]), [`import`] (raw article text -> content pages) and [`scaffold`]
//! (`tessera new`).

pub mod build;
pub mod config;
pub mod content;
pub mod dashboard;
pub mod diagnostics;
pub mod escape;
pub mod i18n;
pub mod images;
pub mod import;
pub mod linkcheck;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
pub mod timings;
pub mod translation;
pub mod urls;
pub mod yaml;
