//! The spool: where a build puts each rendered page as soon as it is made, so the build never
//! holds the whole site's bytes in memory. It is a staging folder beside the output, laid out
//! like the site: a first build swaps it in as the new site; a rebuild links its files into the
//! generation it brings up to date. A page whose bytes the live output already holds, untouched,
//! is not written at all. The folder goes when the build ends, and a killed build's spool is
//! removed by the next build like any other leftover.

use super::{Kept, Manifest, fingerprint, swap, untouched};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub struct Spool {
    dir: PathBuf,
    /// The output folder and the files its manifest lists.
    out: PathBuf,
    live: Option<Arc<Manifest>>,
    /// The folder became the new site ([`Spool::adopt`]) and must stay.
    adopted: AtomicBool,
}

impl Spool {
    /// A new, empty spool beside the output folder `out` (already checked with
    /// [`super::check_output_dir`]); `live` is its manifest ([`Manifest::of`]), when it has one.
    pub fn beside(out: &Path, live: Option<Arc<Manifest>>) -> Result<Spool> {
        let parent = out.parent().unwrap_or(Path::new("."));
        let unchanged = || format!("{} is unchanged", out.display());
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}; {}", parent.display(), unchanged()))?;
        Ok(Spool {
            dir: swap::create_staging(parent).with_context(unchanged)?,
            out: out.to_path_buf(),
            live,
            adopted: AtomicBool::new(false),
        })
    }

    /// Keeps the generated file at `path`: in the live output when it holds these very bytes
    /// and nobody touched it since, else written into the spool.
    pub fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<Kept> {
        let print = fingerprint(bytes);
        if self.live.as_ref().is_some_and(|live| untouched(&self.out, &live.files, path, print).is_some()) {
            return Ok(Kept { print, file: self.out.join(path) });
        }
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&file, bytes)?;
        Ok(Kept { print, file })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The spool's folder, to become the new site: it is no longer removed with the spool.
    pub(super) fn adopt(&self) -> PathBuf {
        self.adopted.store(true, Ordering::Relaxed);
        self.dir.clone()
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if !self.adopted.load(Ordering::Relaxed) {
            let _ = swap::remove_tree(&self.dir);
        }
    }
}
