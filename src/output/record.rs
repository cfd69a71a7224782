//! The record of the last build into an output folder: what it was built from (every source
//! file's stamp, the command's options, tessera itself), which manifest it wrote and what it
//! reported. A build is a function of those inputs; when none changed and every file it wrote
//! is as it was written, `tessera build` has nothing to write and says so without rendering;
//! when some did, it names the files that changed ([`Sources::edited`]).

use super::swap::{self, MANIFEST, Manifest};
use super::{MARKER, Stamp};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
/// their stamp showing it: such a file is recorded as unsettled, the next build counts it as
/// changed, and no build is skipped as unchanged while one is.
const SETTLED_NS: i128 = 2_000_000_000;

/// The sources of one build: every input's stamp and the build's options, with a fingerprint
/// of them all that is `None` when an input changed too recently to be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    all: Option<u128>,
    /// tessera itself, the output folder and the options.
    head: String,
    /// Every input file, relative to the root, with its stamp (`unsettled` when it changed too
    /// recently to be trusted: the next build counts it as changed).
    files: BTreeMap<String, String>,
}

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
    sources: Option<String>,
    head: String,
    files: BTreeMap<String, String>,
    output: String,
    manifest: String,
    report: Report,
    /// The fingerprint of what the build left for the next one ([`DETAIL`]).
    detail: String,
}

/// What the last build left for the next one beside the record (which outputs read which
/// pages: see `build::reuse`), tied to the record by its fingerprint.
const DETAIL: &str = ".tessera-cache/last-build-renders.json";

const UNSETTLED: &str = "unsettled";

impl Sources {
    /// Stamps every input of a build of the site in `root` into `out` with `options` (the
    /// command-line options that change the output).
    pub fn of(root: &Path, out: &Path, options: &str) -> Sources {
        // A tessera built again (a developer's) may write differently.
        let exe = std::env::current_exe().ok().and_then(|exe| stamp(&exe));
        let head = format!("{} {exe:?} {} {options}", env!("CARGO_PKG_VERSION"), out.to_string_lossy());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128);
        // Listing a folder is one read per folder; stamping is one stat per file, in parallel.
        let mut settled = true;
        let mut paths = Vec::new();
        for input in INPUTS {
            if std::fs::symlink_metadata(root.join(input)).is_err() {
                continue;
            }
            let walk = walkdir::WalkDir::new(root.join(input)).follow_links(true).sort_by_file_name();
            for entry in walk.into_iter() {
                match entry {
                    Ok(entry) => paths.push(entry.into_path()),
                    // Unreadable now: the build reports it; nothing is recorded.
                    Err(_) => settled = false,
                }
            }
        }
        let stamped: Vec<(String, Option<String>)> = paths
            .par_iter()
            .map(|file| {
                let path = file.strip_prefix(root).unwrap_or(file).to_string_lossy().into_owned();
                let stamp = stamp(file).filter(|s| now - s.changed_ns > SETTLED_NS);
                (path, stamp.map(|s| format!("{}.{}", s.file, s.changed_ns)))
            })
            .collect();
        settled &= stamped.iter().all(|(_, stamp)| stamp.is_some());
        let files: BTreeMap<String, String> =
            stamped.into_iter().map(|(path, stamp)| (path, stamp.unwrap_or_else(|| UNSETTLED.to_string()))).collect();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in std::iter::once((&head, &head)).chain(&files) {
            for bytes in [part.0.as_bytes(), part.1.as_bytes()] {
                hasher.update(&(bytes.len() as u64).to_le_bytes());
                hasher.update(bytes);
            }
        }
        Sources { all: settled.then(|| hasher.digest128()), head, files }
    }

    /// The report of the `last` build when it was built from these same sources.
    pub fn unchanged(&self, last: &LastBuild) -> Option<Report> {
        let record = &last.record;
        (self.all.is_some() && record.sources == self.all.map(|s| format!("{s:032x}"))).then(|| record.report.clone())
    }

    /// The input files (relative to `root`) added, removed or changed since the `last` build,
    /// and what that build left for this one, when it used the same tessera and options.
    pub fn edited(&self, root: &Path, last: &LastBuild) -> Option<(Vec<PathBuf>, Vec<u8>)> {
        let record = &last.record;
        if record.head != self.head {
            return None;
        }
        let detail = std::fs::read(root.join(DETAIL)).ok()?;
        if record.detail != format!("{:032x}", super::fingerprint(&detail)) {
            return None;
        }
        let mut edited: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(path, stamp)| *stamp == UNSETTLED || record.files.get(*path) != Some(*stamp))
            .map(|(path, _)| PathBuf::from(path))
            .collect();
        edited.extend(record.files.keys().filter(|p| !self.files.contains_key(*p)).map(PathBuf::from));
        edited.extend(record.files.iter().filter(|(_, s)| *s == UNSETTLED).map(|(p, _)| PathBuf::from(p)));
        edited.sort();
        edited.dedup();
        Some((edited, detail))
    }

    /// Records that the build from these sources wrote `out`, reported `report` and left
    /// `detail` for the next build. A record that cannot be written only means the next build
    /// does all the work.
    pub fn record(&self, root: &Path, out: &Path, report: Report, detail: &[u8]) {
        let path = root.join(RECORD);
        let _ = std::fs::remove_file(&path);
        let Ok(manifest) = std::fs::read(out.join(MANIFEST)) else { return };
        let record = Record {
            sources: self.all.map(|s| format!("{s:032x}")),
            head: self.head.clone(),
            files: self.files.clone(),
            output: out.to_string_lossy().into_owned(),
            manifest: format!("{:032x}", super::fingerprint(&manifest)),
            report,
            detail: format!("{:032x}", super::fingerprint(detail)),
        };
        let Ok(json) = serde_json::to_vec(&record) else { return };
        if let Some(dir) = path.parent()
            && std::fs::create_dir_all(dir).is_ok()
            && std::fs::write(root.join(DETAIL), detail).is_ok()
        {
            let _ = std::fs::write(path, json);
        }
    }
}

/// The record of the last build into an output folder, with the manifest it wrote there.
pub struct LastBuild {
    record: Record,
    /// The manifest's text and when it was written: parsed only when a build needs it.
    manifest: (String, Option<i128>),
}

impl LastBuild {
    /// The record of the last build of the site in `root` into `out`, when every file it wrote
    /// there is still as it was written. Read once per build: it checks every file's stamp.
    pub fn read(root: &Path, out: &Path) -> Option<LastBuild> {
        let record: Record = serde_json::from_slice(&std::fs::read(root.join(RECORD)).ok()?).ok()?;
        if record.output != out.to_string_lossy() || !out.join(MARKER).is_file() {
            return None;
        }
        let (text, changed_ns) = swap::manifest_text(out)?;
        if record.manifest != format!("{:032x}", super::fingerprint(text.as_bytes())) {
            return None;
        }
        // Files of someone else kept there may change: what tessera wrote may not.
        let lines: Vec<_> = swap::manifest_lines(&text).filter(|line| !line.foreign).collect();
        let intact = lines
            .par_iter()
            .all(|line| line.stamp.is_some() && super::stays_inside(line.path) && Stamp::of(&out.join(line.path)) == line.stamp);
        drop(lines);
        intact.then_some(LastBuild { record, manifest: (text, changed_ns) })
    }

    /// The manifest the last build wrote into the output folder, which still holds what it
    /// lists. A build parses it once and shares it with every stage that needs it.
    pub fn manifest(&self) -> Manifest {
        let (text, changed_ns) = &self.manifest;
        // `read` found every generated file as the manifest lists it.
        Manifest { checked: true, ..Manifest::from_lines(swap::manifest_lines(text), *changed_ns) }
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
