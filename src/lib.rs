//! tessera turns a multilingual content tree into a static site.
//!
//! The pipeline, one module per stage, plain data between them:
//!
//! ```text
//! config   site.yaml                    -> SiteConfig
//! content  content/**/*.md              -> Site (pages, sections, translations, URLs)
//! markdown page bodies                  -> HTML, table of contents, summary, word counts
//! i18n     locales/**/*.ftl + CLDR      -> Localizer (t(), dates, numbers, direction)
//! render   Site + templates             -> Output (path -> bytes)
//! search   Output (HTML pages)          -> Pagefind index under /pagefind/
//! output   Output                       -> the output folder, replaced atomically
//! ```
//!
//! `build::build` runs the stages in order; `tessera build`, `tessera check` and
//! `tessera serve --watch` all go through it. `import` is the editors' tool that writes
//! content pages from raw article text.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
pub mod import;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod yaml;
