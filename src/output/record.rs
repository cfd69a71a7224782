//! The record of the last build into an output folder: what it was built from (every source
//! file's stamp, the command's options, tessera itself), which manifest it wrote and what it
//! reported. A build is a function of those inputs; when none changed and every file it wrote
//! is as it was written, `tessera build` has nothing to write and says so without rendering.

use super::swap::MANIFEST;
use super::{MARKER, Stamp};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a build reads below the site root; everything else there (the output, `.git`,
/// `target/`) cannot change what it writes.
const INPUTS: &[&str] = &[
    crate::config::CONFIG_FILE,
    crate::content::CONTENT_DIR,
    "templates",
    "themes",
    "locales",
    "static",
    "sass",
    crate::translation::ORIGINALS_DIR,
];

/// Where the record is kept, in the site's cache.
const RECORD: &str = ".tessera-cache/last-build.json";

/// Files changed this recently may change again within the file system's clock tick without
/// their stamp showing it: a build that reads such a file leaves no record.
const SETTLED_NS: i128 = 2_000_000_000;

/// The sources of one build: a fingerprint of every input's stamp and the build's options,
/// `None` when an input changed too recently to be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sources(Option<u128>);

/// What a build reported, to say again when the next one finds nothing changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub pages: usize,
    pub languages: usize,
    pub files: usize,
    pub warnings: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Record {
    sources: String,
    output: String,
    manifest: String,
    report: Report,
}

impl Sources {
    /// Stamps every input of a build of the site in `root` into `out` with `options` (the
    /// command-line options that change the output).
    pub fn of(root: &Path, out: &Path, options: &str) -> Sources {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut add = |bytes: &[u8]| {
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        };
        add(env!("CARGO_PKG_VERSION").as_bytes());
        // A tessera built again (a developer's) may write differently.
        let exe = std::env::current_exe().ok().and_then(|exe| stamp(&exe));
        add(format!("{exe:?}").as_bytes());
        add(out.to_string_lossy().as_bytes());
        add(options.as_bytes());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128);
        let mut settled = true;
        for input in INPUTS {
            if std::fs::symlink_metadata(root.join(input)).is_err() {
                add(format!("no {input}").as_bytes());
                continue;
            }
            let walk = walkdir::WalkDir::new(root.join(input)).follow_links(true).sort_by_file_name();
            for entry in walk.into_iter() {
                let Ok(entry) = entry else {
                    // Unreadable now: the build reports it; nothing is recorded.
                    settled = false;
                    continue;
                };
                let Some(s) = stamp(entry.path()) else {
                    settled = false;
                    continue;
                };
                settled &= now - s.changed_ns > SETTLED_NS;
                add(entry.path().strip_prefix(root).unwrap_or(entry.path()).to_string_lossy().as_bytes());
                add(format!("{s:?}").as_bytes());
            }
        }
        Sources(settled.then(|| hasher.digest128()))
    }

    /// The report of the last build into `out` when it was built from these same sources and
    /// every file it wrote there is still as it was written.
    pub fn unchanged(&self, root: &Path, out: &Path) -> Option<Report> {
        let sources = format!("{:032x}", self.0?);
        let record: Record = serde_json::from_slice(&std::fs::read(root.join(RECORD)).ok()?).ok()?;
        if record.sources != sources || record.output != out.to_string_lossy() || !out.join(MARKER).is_file() {
            return None;
        }
        let manifest = std::fs::read(out.join(MANIFEST)).ok()?;
        if record.manifest != format!("{:032x}", super::fingerprint(&manifest)) {
            return None;
        }
        let text = String::from_utf8(manifest).ok()?;
        let lines: Vec<_> = super::swap::manifest_lines(&text).collect();
        let intact = lines
            .par_iter()
            .all(|line| line.stamp.is_some() && super::stays_inside(line.path) && Stamp::of(&out.join(line.path)) == line.stamp);
        intact.then_some(record.report)
    }

    /// Records that the build from these sources wrote `out` and reported `report`. A record
    /// that cannot be written only means the next build does all the work.
    pub fn record(&self, root: &Path, out: &Path, report: Report) {
        let path = root.join(RECORD);
        let _ = std::fs::remove_file(&path);
        let (Some(sources), Ok(manifest)) = (self.0, std::fs::read(out.join(MANIFEST))) else { return };
        let record = Record {
            sources: format!("{sources:032x}"),
            output: out.to_string_lossy().into_owned(),
            manifest: format!("{:032x}", super::fingerprint(&manifest)),
            report,
        };
        let Ok(json) = serde_json::to_vec(&record) else { return };
        if let Some(dir) = path.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            let _ = std::fs::write(path, json);
        }
    }
}

/// A file's stamp with the time its inode last changed, which no tool can set back.
#[derive(Debug, PartialEq)]
struct Full {
    file: Stamp,
    changed_ns: i128,
}

#[cfg(unix)]
fn stamp(path: &Path) -> Option<Full> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(Full { file: Stamp::from_metadata(&m)?, changed_ns: m.ctime() as i128 * 1_000_000_000 + m.ctime_nsec() as i128 })
}

/// Without inode change times a stamp cannot be trusted: no record is kept.
#[cfg(not(unix))]
fn stamp(_: &Path) -> Option<Full> {
    None
}
