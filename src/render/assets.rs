//! Stylesheets and scripts: compiles `themes/<theme>/sass/*.scss` and the site's `sass/*.scss`
//! with grass, gives every CSS and JS file a content-hashed name, and answers the template
//! function `asset_url(path=...)` with the URL of that name under the base path.

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{Kwargs, TeraResult};

/// Output folder of the search bundle; its files are written after rendering, under fixed names.
pub const SEARCH_BUNDLE: &str = "pagefind/";

/// The site's assets: what templates may ask `asset_url` for, and the fingerprinted files.
#[derive(Debug, Default, Clone)]
pub struct Assets {
    /// Path as a template names it (`main.css`, `js/menu.js`) -> path in the output.
    pub urls: BTreeMap<String, String>,
    /// Fingerprinted files to write: path in the output -> content.
    pub files: BTreeMap<String, Vec<u8>>,
    base_path: String,
}

impl Assets {
    /// Compiles the Sass entry files (those not starting with `_`) and fingerprints every CSS
    /// and JS file of the theme's and the site's `static/`; the site's files win over the theme's.
    /// Without `fingerprint` (the live server) names stay as they are, so a stylesheet edit
    /// changes the stylesheet alone and browsers can swap it in place.
    pub fn build(root: &Path, config: &SiteConfig, fingerprint: bool) -> Result<Assets, Diagnostics> {
        let mut assets = Assets { base_path: config.base_path(), ..Default::default() };
        let mut errors = Diagnostics::default();
        let mut layers = Vec::new();
        if let Some(theme) = &config.theme {
            layers.push(root.join("themes").join(theme));
        }
        layers.push(root.to_path_buf());

        // name -> (source file, content); later layers replace earlier ones.
        let mut sources: BTreeMap<String, (PathBuf, Vec<u8>)> = BTreeMap::new();
        for layer in &layers {
            for (name, file) in files_under(&layer.join("static")) {
                if is_fingerprinted_kind(&name) {
                    match std::fs::read(&file) {
                        Ok(bytes) => {
                            sources.insert(name, (file, bytes));
                        }
                        Err(e) => errors.push(Diagnostic::whole_file(&file, format!("cannot read: {e}"))),
                    }
                } else {
                    // Other static files keep their name; `asset_url` still knows them.
                    assets.urls.insert(name.clone(), name);
                }
            }
            let sass_dir = layer.join("sass");
            for (name, file) in files_under(&sass_dir) {
                let entry = Path::new(&name).file_name().and_then(|n| n.to_str()).unwrap_or("");
                if !(name.ends_with(".scss") || name.ends_with(".sass")) || entry.starts_with('_') {
                    continue;
                }
                let options = grass::Options::default().style(grass::OutputStyle::Compressed).load_path(&sass_dir);
                match grass::from_path(&file, &options) {
                    Ok(css) => {
                        let css_name = format!("{}.css", name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(&name));
                        sources.insert(css_name, (file, css.into_bytes()));
                    }
                    Err(e) => errors.push(sass_diagnostic(root, &file, &e)),
                }
            }
        }
        for (name, (_, bytes)) in sources {
            let hashed = if fingerprint { fingerprinted_name(&name, &bytes) } else { name.clone() };
            assets.urls.insert(name, hashed.clone());
            assets.files.insert(hashed, bytes);
        }
        errors.into_result(assets)
    }

    /// URL (with the base path) of an asset as a template names it, or `None` when there is none.
    pub fn url(&self, path: &str) -> Option<String> {
        let path = path.trim_start_matches('/');
        if let Some(out) = self.urls.get(path) {
            return Some(format!("{}{out}", self.base_path));
        }
        path.starts_with(SEARCH_BUNDLE).then(|| format!("{}{path}", self.base_path))
    }

    /// Registers `asset_url(path="main.css")`.
    pub fn register(&self, tera: &mut tera::Tera) {
        let assets = self.clone();
        tera.register_function("asset_url", move |kwargs: Kwargs, _: &tera::State| -> TeraResult<String> {
            let path = kwargs.must_get::<String>("path")?;
            assets.url(&path).ok_or_else(|| {
                tera::Error::message(format!(
                    "asset_url: no asset `{path}`: put it in static/ or sass/ (of the site or the theme); known: {}",
                    assets.urls.keys().cloned().collect::<Vec<_>>().join(", ")
                ))
            })
        });
    }
}

fn is_fingerprinted_kind(name: &str) -> bool {
    name.ends_with(".css") || name.ends_with(".js")
}

/// `css/main.css` -> `css/main.3f2a9c1b0d4e.css`: the first 12 hex digits of the SHA-256.
pub fn fingerprinted_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

/// Files under `dir` as (`/`-separated path relative to `dir`, file).
fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let name = crate::urls::slash_path(rel);
            (name, e.into_path())
        })
        .collect()
}

fn sass_diagnostic(root: &Path, file: &Path, e: &grass::Error) -> Diagnostic {
    let relative = |f: &Path| f.strip_prefix(root).unwrap_or(f).to_path_buf();
    match e.clone().kind() {
        // The location names the file the error is in: a partial (`_colours.scss`) when it is
        // there, not the entry file that uses it.
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let at = PathBuf::from(loc.file.name().trim_start_matches("./"));
            let at = if at.is_absolute() { relative(&at) } else { relative(&file.parent().unwrap_or(root).join(at)) };
            Diagnostic::new(at, loc.begin.line + 1, loc.begin.column + 1, format!("Sass error: {message}"))
        }
        other => Diagnostic::whole_file(relative(file), format!("Sass error: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_depends_on_content_and_keeps_extension() {
        let a = fingerprinted_name("css/main.css", b"body{}");
        let b = fingerprinted_name("css/main.css", b"body{color:red}");
        assert!(a.starts_with("css/main.") && a.ends_with(".css"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, fingerprinted_name("css/main.css", b"body{}"));
    }
}
