//! Output: the only stage that touches the output folder. It writes the whole site into a
//! staging folder next to it and swaps it in only when everything was written, so a failed or
//! killed build leaves the previous site untouched. It refuses folders that hold the site's
//! sources and never deletes a folder it did not create.

pub mod plan;

use crate::config::SiteConfig;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Everything a build writes: generated files and files copied as they are. The render stage
/// fills it; this module writes it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Output {
    /// Path relative to the output folder (`/`-separated) -> content.
    pub files: std::collections::BTreeMap<String, Vec<u8>>,
    /// Path relative to the output folder -> source file to copy.
    pub copies: std::collections::BTreeMap<String, PathBuf>,
}

/// Generated files as (path in the output, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// Files under the theme's `static/` then the site's `static/` are copied as they are (the
/// site's file wins over the theme's of the same name). The files copied, and the compiled
/// and fingerprinted assets, go into the output plan with their source.
pub fn collect_static(root: &Path, config: &SiteConfig, output: &mut Output) {
    let mut dirs = Vec::new();
    if let Some(theme) = &config.theme {
        dirs.push(root.join("themes").join(theme).join("static"));
    }
    dirs.push(root.join("static"));
    for dir in dirs {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                output.copies.insert(crate::urls::slash_path(rel), entry.path().to_path_buf());
            }
        }
    }
}

/// Plans the static files and assets `collect_static` and the asset stage produce.
pub fn plan_static(root: &Path, copies: &std::collections::BTreeMap<String, PathBuf>, assets: &[String], plan: &mut plan::Plan) {
    for (path, source) in copies {
        let file = source.strip_prefix(root).unwrap_or(source);
        plan.add(path, plan::Origin::new(file, 0, format!("the static file {}", file.display())));
    }
    for path in assets {
        plan.add(path, plan::Origin::new(crate::config::CONFIG_FILE, 0, format!("the stylesheet or script {path}")));
    }
}

/// Written into every output folder tessera creates; a folder without it is never replaced.
pub const MARKER: &str = ".tessera-output";
const STAGING_PREFIX: &str = ".tessera-staging-";
const OLD_PREFIX: &str = ".tessera-old-";

/// Folders of the site that must never be used as (or inside) the output.
const SOURCE_DIRS: &[&str] = &["content", "templates", "themes", "locales", "static", "src", "tests"];

/// Absolute, normalised form of a path that may not exist yet.
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve symlinks of the part that exists.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// Checks that `out` may be used as the output folder of the site in `root`.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf> {
    let root = absolute(root)?;
    let out = absolute(out)?;
    if root.starts_with(&out) {
        bail!("refusing to use {} as the output folder: it is the site root or contains it", out.display());
    }
    for dir in SOURCE_DIRS {
        let source = root.join(dir);
        if out.starts_with(&source) {
            bail!("refusing to use {} as the output folder: it is inside the site's {dir}/ folder", out.display());
        }
    }
    if out.exists() {
        if !out.is_dir() {
            bail!("the output path {} is a file, not a folder", out.display());
        }
        let empty = std::fs::read_dir(&out)?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            bail!(
                "refusing to replace {}: it was not created by tessera (no {MARKER} file in it). Choose another --output or empty it yourself",
                out.display()
            );
        }
    }
    Ok(out)
}

/// Writes `output` as the new content of `out` (already checked with [`check_output_dir`]).
pub fn write(output: &Output, out: &Path) -> Result<()> {
    let parent = out.parent().context("the output folder has no parent folder")?;
    std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?;
    write_into(output, staging.path())?;
    std::fs::write(staging.path().join(MARKER), "This folder was written by tessera build and is replaced by the next build.\n")?;

    // Swap: the previous output moves aside, the staging folder takes its name, the old one goes.
    let old = if out.exists() {
        let old = tempfile::Builder::new().prefix(OLD_PREFIX).tempdir_in(parent)?.keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(out, &old).with_context(|| format!("cannot move the previous {} aside", out.display()))?;
        Some(old)
    } else {
        None
    };
    let staging = staging.keep();
    if let Err(e) = std::fs::rename(&staging, out) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, out);
        }
        return Err(e).with_context(|| format!("cannot move the new site into {}", out.display()));
    }
    if let Some(old) = old {
        remove_tree(&old).with_context(|| format!("cannot remove the previous site at {}", old.display()))?;
    }
    Ok(())
}

/// Removes a folder tree tessera wrote, its top-level entries in parallel (a site has a folder
/// per language and section, and removing tens of thousands of files one by one is slow).
fn remove_tree(dir: &Path) -> Result<()> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    entries.par_iter().try_for_each(|path| -> std::io::Result<()> {
        if path.is_dir() && !path.is_symlink() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) }
    })?;
    std::fs::remove_dir(dir)?;
    Ok(())
}

/// Writes every file of `output` below `dir` (which exists).
pub fn write_into(output: &Output, dir: &Path) -> Result<()> {
    output.files.par_iter().try_for_each(|(path, bytes)| -> Result<()> {
        let target = dir.join(path);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))
    })?;
    output.copies.par_iter().try_for_each(|(path, source)| -> Result<()> {
        let target = dir.join(path);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(source, &target).with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_source_folders_and_foreign_folders() {
        let root = tempfile::tempdir().unwrap();
        for bad in ["", "content", "templates", "themes/x", "locales"] {
            assert!(check_output_dir(root.path(), &root.path().join(bad)).is_err(), "{bad}");
        }
        let foreign = root.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(check_output_dir(root.path(), &foreign).is_err());
        assert!(check_output_dir(root.path(), &root.path().join("public")).is_ok());
    }

    #[test]
    fn replaces_previous_output_whole() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let mut o = Output::default();
        o.files.insert("a/index.html".into(), b"one".to_vec());
        write(&o, &out).unwrap();
        let mut o2 = Output::default();
        o2.files.insert("b/index.html".into(), b"two".to_vec());
        check_output_dir(root.path(), &out).unwrap();
        write(&o2, &out).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(root.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
