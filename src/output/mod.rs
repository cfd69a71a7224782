//! Output: the only stage that touches the output folder. It writes the whole site into a
//! staging folder next to it and swaps it in only when everything was written, so a failed or
//! killed build leaves the previous site untouched. It refuses folders that hold the site's
//! sources and never deletes a folder it did not create.

mod hooks;
pub mod plan;
mod record;
mod spool;
mod swap;

pub use record::{LastBuild, Report, Sources};
pub use spool::Spool;
pub use swap::{Later, Manifest, Survey, remove_leftovers, survey, write};

use crate::config::SiteConfig;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Lowers the calling thread's priority, for work that prepares for a later stage while the
/// build's own stages run: on two cores, that work would otherwise take half the machine from
/// them. Only on Linux, where each thread has a nice value of its own.
pub fn in_background() {
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
    }
}

/// Everything a build writes: generated files and files copied as they are. The render stage
/// fills it; this module writes it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Output {
    /// Path relative to the output folder (`/`-separated) -> content, shared with the live
    /// server's readers without a copy.
    pub files: std::collections::BTreeMap<String, Bytes>,
    /// Path relative to the output folder -> source file to copy.
    pub copies: std::collections::BTreeMap<String, PathBuf>,
    /// Generated files whose bytes are on disk, not in memory: files the last build wrote into
    /// the output folder and this build left as they were, and files this build wrote into its
    /// [`Spool`]. They are read only when something asks for their bytes ([`Output::read`]).
    pub kept: std::collections::BTreeMap<String, Kept>,
}

/// A generated file on disk: the fingerprint of its bytes and the file that holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub print: u128,
    pub file: PathBuf,
}

/// Files by their path in the output. Hashed with Fx: the paths are the site's own, and a
/// rebuild looks up each of its tens of thousands several times.
pub(crate) type PathMap<V> = std::collections::HashMap<String, V, rustc_hash::FxBuildHasher>;
pub(crate) type PathSet = std::collections::HashSet<String, rustc_hash::FxBuildHasher>;

/// Generated files as (path in the output, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// A generated file's bytes, as the output keeps them.
pub type Bytes = std::sync::Arc<Vec<u8>>;

impl Output {
    /// Adds generated files, replacing any of the same path.
    pub fn add(&mut self, files: Files) {
        for (path, bytes) in files {
            self.kept.remove(&path);
            self.files.insert(path, Bytes::new(bytes));
        }
    }

    /// Whether the build writes or copies a file at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.copies.contains_key(path) || self.kept.contains_key(path)
    }

    /// The bytes of the generated file at `path`, read from the output folder when it is kept.
    pub fn read(&self, path: &str) -> Option<std::borrow::Cow<'_, [u8]>> {
        match self.files.get(path) {
            Some(bytes) => Some(std::borrow::Cow::Borrowed(bytes.as_slice())),
            None => self.kept.get(path).and_then(|k| std::fs::read(&k.file).ok()).map(std::borrow::Cow::Owned),
        }
    }

    /// Every generated file's path, kept ones included.
    pub fn generated(&self) -> impl Iterator<Item = &String> {
        self.files.keys().chain(self.kept.keys())
    }

    /// How many files the build writes, copies or keeps.
    pub fn len(&self) -> usize {
        self.files.len() + self.copies.len() + self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

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
    // A live server keeps an asset's name: the asset is then the static file itself.
    for path in assets.iter().filter(|p| !copies.contains_key(*p)) {
        plan.add(path, plan::Origin::new(crate::config::CONFIG_FILE, 0, format!("the stylesheet or script {path}")));
    }
}

/// Written into every output folder tessera creates; a folder without it is never replaced.
pub const MARKER: &str = ".tessera-output";

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

/// Writes every file of `output` below `dir` (which exists). Errors name the file.
pub fn write_into(output: &Output, dir: &Path) -> Result<()> {
    write_reusing(output, dir, None, None).map(|_| ())
}

/// The files a previous build wrote in the folder `live`, as its manifest records them.
pub struct Previous<'a> {
    pub live: &'a Path,
    pub files: &'a PathMap<Written>,
    /// Whether every one of those files was found as recorded when this build started
    /// ([`LastBuild::read`]): its stamp is then trusted without a second look.
    pub checked: bool,
}

impl Previous<'_> {
    /// The stamp of the live file at `path` when it holds the bytes `print`, untouched since
    /// the last build wrote them.
    fn untouched(&self, path: &str, print: u128) -> Option<Stamp> {
        match self.checked {
            true => self.files.get(path).filter(|w| w.print == print)?.stamp,
            false => untouched(self.live, self.files, path, print),
        }
    }
}

/// An earlier generation of the output in the folder a build writes into: its files as its
/// manifest records them, and its folders that no entry was added to, removed from or renamed
/// in since the manifest was written ([`swap`]'s `files_in`), which still hold the very files
/// it lists.
pub(super) struct Generation<'a> {
    pub files: &'a PathMap<Written>,
    pub settled: &'a PathSet,
}

impl Generation<'_> {
    /// The stamp of the file at `path` below `dir` when the generation holds it with the bytes
    /// `print` untouched. A file that is the live output's file too (same inode, size and time)
    /// in a settled folder needs no look when the live one was checked: both are one file.
    fn untouched(&self, dir: &Path, path: &str, print: u128, live: Option<&Previous>) -> Option<Stamp> {
        let was = self.files.get(path).filter(|w| w.print == print)?.stamp?;
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let shared = live.is_some_and(|p| p.checked && p.files.get(path).and_then(|w| w.stamp) == Some(was));
        match shared && self.settled.contains(folder) {
            true => Some(was),
            false => Stamp::of(&dir.join(path)).filter(|stamp| *stamp == was),
        }
    }
}

/// A generated file as the manifest records it: the fingerprint of its bytes and, where the
/// platform has them, its size, modification time and inode once written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Written {
    pub print: u128,
    pub stamp: Option<Stamp>,
}

/// What a file's metadata says about it: unchanged size, modification time and inode mean
/// nobody wrote to it since (a file edited in place gets a new time; replaced, a new inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified_ns: i128,
    pub inode: u64,
}

impl Stamp {
    /// The stamp of the regular file at `path` (a link or folder has none).
    pub fn of(path: &Path) -> Option<Stamp> {
        std::fs::symlink_metadata(path).ok().filter(|m| m.is_file()).as_ref().and_then(Stamp::from_metadata)
    }

    #[cfg(unix)]
    pub fn from_metadata(m: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp { len: m.len(), modified_ns: m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128, inode: m.ino() })
    }

    #[cfg(not(unix))]
    pub fn from_metadata(_: &std::fs::Metadata) -> Option<Stamp> {
        None
    }
}

/// As the manifest writes it: `size.mtime_ns.inode`.
impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.len, self.modified_ns, self.inode)
    }
}

/// The fingerprint of a generated file's bytes, as the manifest records it.
pub fn fingerprint(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The stamp of the file at `path` in the folder `dir` when `files` (that folder's manifest)
/// records it with the fingerprint `print` and it is as then written: same size, time and inode,
/// so nobody wrote to it since and it holds those bytes without being read.
pub(super) fn untouched(dir: &Path, files: &PathMap<Written>, path: &str, print: u128) -> Option<Stamp> {
    let was = files.get(path).filter(|w| w.print == print)?.stamp?;
    Stamp::of(&dir.join(path)).filter(|stamp| *stamp == was)
}

/// Writes every file of `output` below `dir` (which exists); a generated file whose bytes the
/// previous build wrote too, and that still holds them, is hard-linked from `previous` instead
/// of written again, so a rebuild allocates and later frees only what changed. When `dir`
/// holds an earlier generation (`kept`), a file that still holds the same bytes stays; any
/// other file in the way is unlinked first, never written through (it may be a link to the
/// live site's file). Returns how each generated file was written, for the next build's
/// manifest.
pub(super) fn write_reusing(
    output: &Output,
    dir: &Path,
    previous: Option<&Previous>,
    kept: Option<&Generation>,
) -> Result<Vec<(String, Written)>> {
    if let Some(path) = output.generated().chain(output.copies.keys()).find(|p| !stays_inside(p)) {
        bail!("refusing to write {path:?}: it is not a plain path inside the output folder (a bug in tessera: please report it)");
    }
    let budget = hooks::DiskBudget::from_env();
    // Folders this write made or found: a folder of many files (the search index's) is made once.
    let folders: std::sync::Mutex<PathSet> = Default::default();
    let prepare = |path: &str, len: u64| -> Result<PathBuf> {
        let target = dir.join(path);
        if let Some((folder, _)) = path.rsplit_once('/')
            && !folders.lock().unwrap_or_else(|e| e.into_inner()).contains(folder)
        {
            let p = dir.join(folder);
            std::fs::create_dir_all(&p).with_context(|| format!("cannot create the folder {}", p.display()))?;
            folders.lock().unwrap_or_else(|e| e.into_inner()).insert(folder.to_string());
        }
        budget.take(len).with_context(|| format!("cannot write {}", target.display()))?;
        Ok(target)
    };
    // One generated file: its bytes in memory, or kept on disk with this fingerprint.
    let write_one = |path: &String, print: u128, bytes: Option<&[u8]>| -> Result<(String, Written)> {
        let kept_file = output.kept.get(path).map(|k| k.file.as_path());
        let target = dir.join(path);
        // Spooled into this very folder (it is the spool).
        if kept_file.is_some_and(|file| file.as_os_str() == target.as_os_str()) {
            return Ok((path.clone(), Written { print, stamp: Stamp::of(&target) }));
        }
        if let Some(kept) = kept {
            if let Some(stamp) = kept.untouched(dir, path, print, previous) {
                return Ok((path.clone(), Written { print, stamp: Some(stamp) }));
            }
            unlink(&target)?;
        }
        // The fingerprint says which files may be unchanged; the file on disk decides. A live
        // file untouched since the last build is linked without being read (a link is that very
        // file: same size, time and inode).
        if let Some(p) = previous
            && let Some(stamp) = p.untouched(path, print)
        {
            prepare(path, stamp.len)?;
            if std::fs::hard_link(p.live.join(path), &target).is_ok() {
                return Ok((path.clone(), Written { print, stamp: Some(stamp) }));
            }
        }
        // The live file the manifest says has these bytes, though someone touched it since.
        let same = previous.filter(|p| p.files.get(path).is_some_and(|w| w.print == print)).map(|p| p.live.join(path));
        let bytes = match bytes {
            Some(bytes) => std::borrow::Cow::Borrowed(bytes),
            // A file on disk is linked, not read, unless it must be compared or cannot be linked.
            None if same.is_none() => {
                let file =
                    kept_file.context("a generated file with neither bytes nor a file (a bug in tessera: please report it)")?;
                let len = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
                prepare(path, len)?;
                if std::fs::hard_link(file, &target).is_ok() {
                    return Ok((path.clone(), Written { print, stamp: Stamp::of(&target) }));
                }
                read_kept(output, path)?
            }
            None => read_kept(output, path)?,
        };
        prepare(path, bytes.len() as u64)?;
        // Otherwise a live file with the same bytes (someone wrote them again) is linked too.
        let live = same.filter(|live| std::fs::read(live).is_ok_and(|old| old == *bytes));
        let linked = live.and_then(|live| std::fs::hard_link(&live, &target).ok().map(|()| Stamp::of(&live)));
        let stamp = match linked {
            Some(stamp) => stamp,
            None => write_file(&target, &bytes).with_context(|| format!("cannot write {}", target.display()))?,
        };
        Ok((path.clone(), Written { print, stamp }))
    };
    let mut written = output
        .files
        .par_iter()
        .map(|(path, bytes)| write_one(path, fingerprint(bytes), Some(bytes)))
        .collect::<Result<Vec<_>>>()?;
    written.par_extend(output.kept.par_iter().map(|(path, kept)| write_one(path, kept.print, None)).collect::<Result<Vec<_>>>()?);
    output.copies.par_iter().try_for_each(|(path, source)| -> Result<()> {
        let len = std::fs::metadata(source).map(|m| m.len()).unwrap_or(0);
        let target = prepare(path, len)?;
        if kept.is_some() {
            unlink(&target)?;
        }
        std::fs::copy(source, &target).with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
        Ok(())
    })?;
    Ok(written)
}

/// The bytes of the generated file at `path`, which is kept on disk.
fn read_kept<'a>(output: &'a Output, path: &str) -> Result<std::borrow::Cow<'a, [u8]>> {
    output.read(path).with_context(|| {
        let file = output.kept.get(path).map(|k| k.file.display().to_string()).unwrap_or_default();
        format!("cannot read {file}, which holds the bytes of {path}")
    })
}

/// Writes `bytes` into a new file at `target`. Returns its stamp, taken from the open file.
fn write_file(target: &Path, bytes: &[u8]) -> std::io::Result<Option<Stamp>> {
    use std::io::Write;
    let mut file = std::fs::File::create(target)?;
    file.write_all(bytes)?;
    Ok(file.metadata().ok().filter(|m| m.is_file()).as_ref().and_then(Stamp::from_metadata))
}

/// Removes the file at `path` if there is one.
fn unlink(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot replace {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// A relative `/`-separated path whose every segment is a plain name: joined to a folder, it
/// stays inside it.
pub fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|segment| !matches!(segment, "" | "." | ".."))
        && !Path::new(path).has_root()
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
    fn paths_outside_the_output_are_refused() {
        for bad in ["", "/index.html", "a//b.html", "../x.html", "a/./b", "a\\b", "a\0b"] {
            assert!(!stays_inside(bad), "{bad:?}");
            let mut o = Output::default();
            o.files.insert(bad.into(), Bytes::new(b"x".to_vec()));
            let dir = tempfile::tempdir().unwrap();
            assert!(write_into(&o, dir.path()).is_err(), "{bad:?}");
        }
        assert!(stays_inside("ar/news/خبر/index.html"));
    }

    #[test]
    fn replaces_previous_output_whole() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let mut o = Output::default();
        o.files.insert("a/index.html".into(), Bytes::new(b"one".to_vec()));
        write(&o, &out, None, None, None, Survey::default()).unwrap();
        let mut o2 = Output::default();
        o2.files.insert("b/index.html".into(), Bytes::new(b"two".to_vec()));
        check_output_dir(root.path(), &out).unwrap();
        write(&o2, &out, None, swap::Manifest::of(&out).as_ref(), None, Survey::default()).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"two");
        let mut beside: Vec<_> = std::fs::read_dir(root.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
        beside.sort();
        assert_eq!(beside, [".tessera-spare-public", "public"], "only the output and its previous generation");
        // The third build brings the kept generation up to date: the first file goes.
        let mut o3 = Output::default();
        o3.files.insert("c/index.html".into(), Bytes::new(b"three".to_vec()));
        write(&o3, &out, None, swap::Manifest::of(&out).as_ref(), None, Survey::default()).unwrap();
        assert!(!out.join("a/index.html").exists() && !out.join("a").exists());
        assert_eq!(std::fs::read(out.join("c/index.html")).unwrap(), b"three");
    }
}
