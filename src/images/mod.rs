//! Images: every raster image a page shows (Markdown images, front matter `image`, shortcodes,
//! the `resize_image` template function) is resized to the configured widths (never upscaled)
//! and encoded as WebP and in its own format, with its EXIF orientation applied and every
//! metadata block (GPS positions included) left behind. Results are kept under
//! `.tessera-cache/images/`, named by a hash of the file's bytes and the settings, so a second
//! build decodes nothing. Images are processed once each, from whichever render thread asks
//! first; the others wait for that result.

mod encode;
mod strip;

use crate::config::{ImagesConfig, SiteConfig};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Folder of the resized images in the output.
pub const OUTPUT_DIR: &str = "processed_images";
const CACHE_DIR: &str = ".tessera-cache/images";

/// Raster formats tessera resizes; others (SVG, GIF) are used as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// One resized file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Its URL, under the base path.
    pub url: String,
}

/// A processed image: its size after orientation and its resized files, smallest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    /// The image's own format (a WebP original has WebP variants only).
    pub format: Format,
    pub variants: Vec<Variant>,
}

impl Processed {
    /// `srcset` of the variants in `format`.
    pub fn srcset(&self, format: Format) -> String {
        let list: Vec<String> =
            self.variants.iter().filter(|v| v.format == format).map(|v| format!("{} {}w", v.url, v.width)).collect();
        list.join(", ")
    }

    /// The largest variant in `format` no wider than `width`, or the smallest there is.
    pub fn fitting(&self, width: u32, format: Format) -> Option<&Variant> {
        let of_format = || self.variants.iter().filter(move |v| v.format == format);
        of_format().filter(|v| v.width <= width).max_by_key(|v| v.width).or_else(|| of_format().min_by_key(|v| v.width))
    }

    /// The largest variant in the image's own format: the `src` of an `<img>`.
    pub fn largest(&self) -> &Variant {
        self.fitting(u32::MAX, self.format).unwrap_or(&self.variants[0])
    }

    /// A `<picture>` with a WebP source and an `<img>` in the original format, with `srcset`,
    /// `sizes`, the intrinsic `width`/`height` (no layout shift), lazy loading and async
    /// decoding; `eager` for an image at the top of the page.
    pub fn picture(&self, alt: &str, sizes: &str, class: Option<&str>, eager: bool) -> String {
        let esc = |s: &str| html_escape::encode_double_quoted_attribute(s).into_owned();
        let largest = self.largest();
        let mut html = String::from("<picture>");
        if self.format != Format::Webp {
            html.push_str(&format!(
                r#"<source type="image/webp" srcset="{}" sizes="{}">"#,
                esc(&self.srcset(Format::Webp)),
                esc(sizes)
            ));
        }
        let class = class.map(|c| format!(r#" class="{}""#, esc(c))).unwrap_or_default();
        let loading = if eager { r#" fetchpriority="high""# } else { r#" loading="lazy""# };
        html.push_str(&format!(
            r#"<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{class}{loading} decoding="async"></picture>"#,
            esc(&largest.url),
            esc(&self.srcset(self.format)),
            esc(sizes),
            largest.width,
            largest.height,
            esc(alt),
        ));
        html
    }
}

/// How many images a build processed and how many came from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub processed: usize,
    pub cached: usize,
}

type Slot = Arc<OnceLock<Result<Arc<Processed>, String>>>;

/// The image processor of one build, shared by every render thread.
pub struct Images {
    root: PathBuf,
    /// Where an absolute path (`/images/x.jpg`) is looked for: the site's `static/`, the
    /// theme's, then `content/`.
    static_dirs: Vec<PathBuf>,
    config: ImagesConfig,
    base_path: String,
    slots: Mutex<HashMap<PathBuf, Slot>>,
    /// File -> xxh3 hash of its bytes, as read in this build.
    fingerprints: Mutex<HashMap<PathBuf, u128>>,
    /// Output path -> cached file, for every variant handed out.
    files: Mutex<BTreeMap<String, PathBuf>>,
    processed: AtomicUsize,
    cached: AtomicUsize,
    /// A template asked for a resized image (`resize_image`), not a page body or front matter.
    for_templates: AtomicBool,
}

impl Images {
    pub fn new(root: &Path, config: &SiteConfig) -> Images {
        let mut static_dirs = vec![root.join("static")];
        if let Some(theme) = &config.theme {
            static_dirs.push(root.join("themes").join(theme).join("static"));
        }
        static_dirs.push(root.join(crate::content::CONTENT_DIR));
        Images {
            root: root.to_path_buf(),
            static_dirs,
            config: config.images.clone(),
            base_path: config.base_path(),
            slots: Mutex::default(),
            fingerprints: Mutex::default(),
            files: Mutex::default(),
            processed: AtomicUsize::new(0),
            cached: AtomicUsize::new(0),
            for_templates: AtomicBool::new(false),
        }
    }

    /// The file a reference names: `/x.jpg` in a static folder or `content/`; a relative one
    /// beside the page (`page_dir`, relative to the site root). `None` for URLs of other sites
    /// and files that do not exist.
    pub fn locate(&self, reference: &str, page_dir: &Path) -> Option<PathBuf> {
        let reference = reference.split(['?', '#']).next().unwrap_or(reference);
        if reference.is_empty() || reference.contains("://") || reference.starts_with("//") || reference.starts_with("data:") {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(reference).decode_utf8_lossy().into_owned();
        if Path::new(&decoded).components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            return None;
        }
        match decoded.strip_prefix('/') {
            Some(absolute) => {
                let absolute = absolute.strip_prefix(self.base_path.trim_start_matches('/')).unwrap_or(absolute);
                self.static_dirs.iter().map(|d| d.join(absolute)).find(|p| p.is_file())
            }
            None => Some(self.root.join(page_dir).join(&decoded)).filter(|p| p.is_file()),
        }
    }

    /// Whether tessera resizes this file (JPEG, PNG, WebP).
    pub fn is_raster(path: &Path) -> bool {
        Format::of(path).is_some()
    }

    /// The processed image for `file` (a path `locate` gave), processing it on first use.
    pub fn get(&self, file: &Path) -> Result<Arc<Processed>, String> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.entry(file.to_path_buf()).or_default().clone()
        };
        slot.get_or_init(|| self.process(file).map(Arc::new)).clone()
    }

    /// Notes that a template asked for a resized image: which outputs need which images is then
    /// only known by rendering them all.
    pub fn note_template_use(&self) {
        self.for_templates.store(true, Ordering::Relaxed);
    }

    /// Whether a template asked for a resized image in this build.
    pub fn used_by_templates(&self) -> bool {
        self.for_templates.load(Ordering::Relaxed)
    }

    /// Every resized file handed out so far: output path -> file in the cache.
    pub fn files(&self) -> BTreeMap<String, PathBuf> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The file to publish in place of `file`, an image the site copies as it is: a copy
    /// without metadata (GPS positions included) in the cache. Other files, and images that do
    /// not parse, stay as they are.
    pub fn published_copy(&self, file: &Path) -> PathBuf {
        let Some(format) = Format::of(file) else { return file.to_path_buf() };
        let Ok((hash, read)) = self.fingerprint(file) else { return file.to_path_buf() };
        let copy = self.root.join(CACHE_DIR).join("originals").join(format!("{hash:032x}.{}", format.extension()));
        if copy.is_file() {
            return copy;
        }
        let Some(bytes) = read.or_else(|| std::fs::read(file).ok()) else { return file.to_path_buf() };
        let Some(clean) = strip::without_metadata(&bytes, format) else { return file.to_path_buf() };
        let dir = copy.parent().unwrap_or(&self.root);
        match std::fs::create_dir_all(dir).and_then(|_| encode::write_atomic(dir, &copy, &clean)) {
            Ok(()) => copy,
            Err(_) => file.to_path_buf(),
        }
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The `sizes` attribute of images in page bodies.
    pub fn sizes(&self) -> &str {
        &self.config.sizes
    }

    pub fn stats(&self) -> Stats {
        Stats { processed: self.processed.load(Ordering::Relaxed), cached: self.cached.load(Ordering::Relaxed) }
    }

    fn process(&self, file: &Path) -> Result<Processed, String> {
        let shown = file.strip_prefix(&self.root).unwrap_or(file).display().to_string();
        let format = Format::of(file).ok_or_else(|| format!("{shown}: not a JPEG, PNG or WebP image"))?;
        let cannot_read = |e: std::io::Error| format!("{shown}: cannot read: {e}");
        let (hash, read) = self.fingerprint(file).map_err(cannot_read)?;
        let key = self.key(hash);
        let dir = self.root.join(CACHE_DIR).join(&key);
        let stem = crate::slug::slugify(&file.file_stem().unwrap_or_default().to_string_lossy(), "en");
        let stem = if stem.is_empty() { "image".to_string() } else { stem.chars().take(60).collect() };
        let processed = match cached(&dir) {
            Some(p) => {
                self.cached.fetch_add(1, Ordering::Relaxed);
                p
            }
            None => {
                let bytes = match read {
                    Some(bytes) => bytes,
                    None => std::fs::read(file).map_err(cannot_read)?,
                };
                let p = encode::all(&bytes, format, &self.config, &dir).map_err(|e| format!("{shown}: {e}"))?;
                self.processed.fetch_add(1, Ordering::Relaxed);
                p
            }
        };
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let variants = processed
            .into_iter()
            .map(|c| {
                let name = format!("{stem}.{}.{}.{}", &key[..10], c.width, c.format.extension());
                files.insert(format!("{OUTPUT_DIR}/{name}"), dir.join(c.file_name()));
                Variant {
                    width: c.width,
                    height: c.height,
                    format: c.format,
                    url: format!("{}{OUTPUT_DIR}/{name}", self.base_path),
                }
            })
            .collect::<Vec<_>>();
        let largest = variants.iter().max_by_key(|v| v.width).ok_or_else(|| format!("{shown}: the image is empty"))?;
        Ok(Processed { width: largest.width, height: largest.height, format, variants })
    }

    /// The cache folder's name: a hash of the file's content hash and of every setting that
    /// changes the result.
    fn key(&self, content: u128) -> String {
        let settings = format!("{content:032x}/{:?}/{}/v2", self.config.widths, self.config.quality);
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(settings.as_bytes()))
    }

    /// The xxh3 hash of `file`'s bytes, read once per build however often the file is asked
    /// for; with the bytes when this call read them.
    fn fingerprint(&self, file: &Path) -> std::io::Result<(u128, Option<Vec<u8>>)> {
        let known = self.fingerprints.lock().unwrap_or_else(|e| e.into_inner()).get(file).copied();
        if let Some(hash) = known {
            return Ok((hash, None));
        }
        let bytes = std::fs::read(file)?;
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        self.fingerprints.lock().unwrap_or_else(|e| e.into_inner()).insert(file.to_path_buf(), hash);
        Ok((hash, Some(bytes)))
    }
}

/// One file in the cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    width: u32,
    height: u32,
    format: Format,
}

impl Cached {
    fn file_name(&self) -> String {
        format!("{}.{}", self.width, self.format.extension())
    }
}

const INDEX_FILE: &str = "variants.json";

/// The variants cached in `dir`, when its index and every file it lists are there.
fn cached(dir: &Path) -> Option<Vec<Cached>> {
    let index = std::fs::read(dir.join(INDEX_FILE)).ok()?;
    let variants: Vec<Cached> = serde_json::from_slice(&index).ok()?;
    variants.iter().all(|v| dir.join(v.file_name()).is_file()).then_some(variants)
}

#[cfg(test)]
mod tests;
