//! Replacing the output folder. The new site is written into a staging folder beside it and
//! exchanged with the previous output in one step (`renameat2(RENAME_EXCHANGE)` on Linux; two
//! renames elsewhere), so the output folder is complete at every instant. What killed builds
//! left beside it (`.tessera-staging-<pid>-*`, `.tessera-old-<pid>-*`) goes at the next build.
//!
//! The generation the exchange replaced is kept beside the output as its spare
//! (`.tessera-spare-<name>`): the next build brings that tree up to date and exchanges it back,
//! so a rebuild touches only the files that differ instead of making and removing a whole tree.

use super::{MARKER, Output, PathMap, PathSet, Stamp, Written, hooks};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const STAGING_PREFIX: &str = ".tessera-staging-";
const OLD_PREFIX: &str = ".tessera-old-";
const SPARE_PREFIX: &str = ".tessera-spare-";
const MARKER_TEXT: &str = "This folder was written by tessera build and is replaced by the next build.\n";

/// Writes `output` as the new content of `out` (already checked with
/// [`super::check_output_dir`]). Returns warnings: leftovers or the previous output that could
/// not be removed once the new site was in place (the build still succeeded).
/// With a `spool` holding rendered pages, a first build makes the spool's folder the new site.
/// `manifest` is the output's ([`Manifest::of`]), when it has one. With `later`, the files it
/// makes (the search index) are made while the others are written, and written after them.
/// `survey` is what [`survey`] found of the folders, when it ran.
pub fn write(
    output: &Output,
    out: &Path,
    spool: Option<&super::Spool>,
    manifest: Option<&Manifest>,
    later: Option<Later>,
    survey: Survey,
) -> Result<Vec<String>> {
    let parent = out.parent().context("the output folder has no parent folder")?;
    let unchanged = || format!("{} is unchanged", out.display());
    std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}; {}", parent.display(), unchanged()))?;
    let mut warnings = remove_leftovers(parent);
    hooks::step("writing");
    let previous = manifest.map(|m| super::Previous { live: out, files: &m.files, checked: m.checked });
    let later_folder = later.as_ref().map(|l| l.folder);
    // The spare generation first; when it cannot be brought up to date, a new tree.
    let spare = take_spare(out).and_then(|spare| match fill(output, &spare, previous.as_ref(), later_folder, survey.spare) {
        Ok(filled) => Some((spare, filled)),
        Err(e) => {
            if let Err(removal) = remove_tree(&spare) {
                warnings.push(format!(
                    "warning: the previous generation of the site, in {}, could not be updated ({e:#}) nor removed ({removal}); \
                     the next build tries again, or remove that folder yourself",
                    spare.display()
                ));
            }
            None
        }
    });
    let (staging, mut filled) = match spare {
        Some(filled) => filled,
        None => {
            let staging = match spool {
                Some(spool) => spool.adopt(),
                None => create_staging(parent).with_context(unchanged)?,
            };
            match super::write_reusing(output, &staging, previous.as_ref(), None) {
                Ok(written) => (staging, Filled { written, kept: None, deferred: vec![], settled: PathSet::default() }),
                Err(e) => {
                    let _ = remove_tree(&staging);
                    return Err(e.context(format!("the new site could not be written; {}", unchanged())));
                }
            }
        }
    };
    // What needs no later file is done while they are made: listing the files someone else put
    // in the output, and the manifest's lines for the files written so far.
    let foreign = manifest.map(|m| survey.foreign.unwrap_or_else(|| foreign_files(out, m))).unwrap_or_default();
    crate::timings::mark("pages written");
    let mut list = manifest_lines_of(filled.written.iter().map(|(p, w)| (p, w)));
    let early = filled.written.len();
    let late = match later.map(|later| write_later(later, &staging, previous.as_ref(), &mut filled)).transpose() {
        Ok(late) => late.unwrap_or_default(),
        Err(e) => {
            let _ = remove_tree(&staging);
            return Err(e.context(format!("the new site could not be written; {}", unchanged())));
        }
    };
    crate::timings::mark("later files written");
    list.push_str(&manifest_lines_of(filled.written[early..].iter().map(|(p, w)| (p, w))));
    let contains = |path: &str| output.contains(path) || late.contains(path);
    // The manifest goes last: a folder changed before it holds what it lists (see `files_in`).
    let kept = keep_foreign_files(&contains, out, foreign, &staging)
        .and_then(|(foreign, kept)| write_manifest(list, output, &foreign, &staging).map(|()| kept));
    match kept {
        Ok(kept) => warnings.extend(kept),
        Err(e) => {
            let _ = remove_tree(&staging);
            return Err(e.context(format!("the files you added to {} could not be kept; {}", out.display(), unchanged())));
        }
    }
    hooks::step("staged");
    let old = match swap(&staging, out) {
        Ok(old) => old,
        Err(e) => {
            let _ = remove_tree(&staging);
            return Err(e.context(unchanged()));
        }
    };
    hooks::step("swapped");
    crate::timings::mark("swapped");
    if let Some(old) = old
        && std::fs::rename(&old, spare_path(out)).is_err()
        && let Err(e) = remove_tree(&old)
    {
        warnings.push(format!(
            "warning: the new site is in {}, but the previous one, moved to {}, could not be removed ({e}); \
             the next build tries again, or remove that folder yourself",
            out.display(),
            old.display()
        ));
    }
    hooks::step("removed");
    Ok(warnings)
}

/// Where the generation before the live one is kept for the next build of `out`.
pub fn spare_path(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    out.with_file_name(format!("{SPARE_PREFIX}{name}"))
}

/// What a build learns of the folders it writes while the site renders ([`survey`]), so the
/// write need not: the default knows nothing, and the write looks for itself.
#[derive(Default)]
pub struct Survey {
    spare: Option<Listing>,
    /// The files someone else put in the live output ([`foreign_files`]).
    foreign: Option<Vec<String>>,
}

/// A generation of the output as listed: its manifest, its files and its settled folders
/// ([`files_in`]).
type Listing = (Manifest, Vec<String>, PathSet);

/// Starts surveying the folders of the output `out` (whose manifest is `live`) on a thread of
/// its own while the site loads and renders: the spare generation's files and the live
/// output's foreign files, which take tens of thousands of stats on a large site. Join the
/// handle before [`write`].
///
/// With `make_spare`, when `out` has no spare generation yet (the first rebuild after a new
/// site), the survey first makes one: a tree of hard links to the live site's files, with
/// their manifest, which the build then brings up to date like any spare instead of making a
/// whole new tree once it has rendered. Killed midway, it is a staging folder of this
/// process, which the next build removes.
pub fn survey(out: &Path, live: Option<Arc<Manifest>>, make_spare: bool) -> std::thread::JoinHandle<Survey> {
    let out = out.to_path_buf();
    let survey = move || {
        let spare = spare_path(&out);
        // A first spare is waited for by the write, and is known as made; listing one can
        // wait for the build's stages.
        let made = match make_spare && !spare.join(MARKER).is_file() && out.join(MARKER).is_file() {
            true => {
                let dir = out.with_file_name(format!("{STAGING_PREFIX}{}-clone", std::process::id()));
                let made =
                    link_live(&out, live.clone(), &dir).and_then(|listing| Ok(std::fs::rename(&dir, &spare).map(|()| listing)?));
                if made.is_err() {
                    let _ = remove_tree(&dir);
                }
                made.ok()
            }
            false => {
                super::in_background();
                None
            }
        };
        let listed = made.or_else(|| {
            let manifest = spare.join(MARKER).is_file().then(|| Manifest::of(&spare)).flatten()?;
            let (files, settled) = files_in(&spare, &manifest);
            Some((manifest, files, settled))
        });
        Survey { spare: listed, foreign: live.map(|live| foreign_files(&out, &live)) }
    };
    // One thread: the build's own stages keep rayon's pool, and the survey takes what they
    // leave of the machine.
    std::thread::spawn(move || match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(survey),
        Err(_) => survey(),
    })
}

/// Fills the new folder `dir` with hard links to the generated files of the live tree `out`,
/// and a manifest of those. Returns the folder as [`files_in`] would list it, without looking:
/// its folders hold what was linked into them, so each is settled.
fn link_live(out: &Path, live: Option<Arc<Manifest>>, dir: &Path) -> Result<Listing> {
    let live = live.context("the output folder has no manifest")?;
    std::fs::create_dir(dir)?;
    std::fs::write(dir.join(MARKER), MARKER_TEXT)?;
    let mut files: Vec<(&String, &Written)> = live.files.iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    // Paths in order, so a folder's files follow each other: each folder is made once, by the
    // first of its files (the others would each try to make it and look at it).
    fn link_run<'m>(out: &Path, dir: &Path, run: &[(&'m String, &'m Written)]) -> Result<Vec<(&'m String, &'m Written)>> {
        let mut made = None;
        let mut linked = Vec::with_capacity(run.len());
        // A live file someone touched since is linked all the same: its stamp differs from the
        // manifest's, so the build writes it again.
        for &(path, written) in run.iter().filter(|(path, written)| super::stays_inside(path) && written.stamp.is_some()) {
            let folder = path.rsplit_once('/').map(|(folder, _)| folder);
            if let Some(folder) = folder.filter(|&f| made != Some(f)) {
                std::fs::create_dir_all(dir.join(folder))?;
                made = Some(folder);
            }
            std::fs::hard_link(out.join(path), dir.join(path))?;
            linked.push((path, written));
        }
        Ok(linked)
    }
    // Two threads, each on its own run of folders: the work is the file system's.
    let half = files.len().div_ceil(2).max(1);
    let done: Vec<Result<Vec<_>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files.chunks(half).map(|run| scope.spawn(move || link_run(out, dir, run))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a linking thread panicked")))).collect()
    });
    let linked = done.into_iter().collect::<Result<Vec<_>>>()?.concat();
    let mut list = String::from("# Every file tessera wrote here; the others are kept by the next build.\n");
    list.push_str(&manifest_lines_of(linked.iter().copied()));
    // Written last, so the folders above are older than it (see `files_in`).
    std::fs::write(dir.join(MANIFEST), &list)?;
    let written_ns = inode_changed_ns(&std::fs::symlink_metadata(dir.join(MANIFEST))?);
    let lines = linked.iter().map(|&(path, w)| ManifestLine { print: Some(w.print), stamp: w.stamp, path, foreign: false });
    let manifest = Manifest::from_lines(lines, written_ns);
    // The top folder holds the manifest, made after it; the others are settled.
    let settled = linked.iter().filter_map(|(path, _)| Some(path.rsplit_once('/')?.0.to_string())).collect();
    let files = linked.into_iter().map(|(path, _)| path.clone()).chain([MANIFEST.to_string()]).collect();
    Ok((manifest, files, settled))
}

/// Takes the spare generation of `out` for this build: renamed to a staging name of this
/// process, so no other build takes it too and a kill leaves a folder the next build removes.
fn take_spare(out: &Path) -> Option<PathBuf> {
    let spare = spare_path(out);
    if !spare.join(MARKER).is_file() {
        return None;
    }
    let taken = spare.with_file_name(format!("{STAGING_PREFIX}{}-spare", std::process::id()));
    if taken.exists() {
        return None;
    }
    std::fs::rename(&spare, &taken).ok().map(|()| taken)
}

/// Files of the output made while the others are written: the search index, made from the
/// pages, which the pages' writing need not wait for.
pub struct Later<'a> {
    /// The folder (`pagefind/`) that holds every file `make` makes, and no other file.
    pub folder: &'a str,
    pub make: Box<dyn FnOnce() -> Result<super::Files> + 'a>,
}

/// A tree brought up to date with the output but for the files that come later.
struct Filled {
    /// How each file was written.
    written: Vec<(String, Written)>,
    /// A spare generation's manifest (it may hold the later files as they were).
    kept: Option<Manifest>,
    /// Its files in the later files' folder, which stay until those are known.
    deferred: Vec<String>,
    /// Its folders unchanged since its manifest was written ([`files_in`]).
    settled: PathSet,
}

/// Makes the later files and writes them into `dir`, brought up to date by `filled` (which then
/// says how they were written too), removing the files of their folder the new site no longer
/// has. Returns them.
fn write_later(later: Later, dir: &Path, previous: Option<&super::Previous>, filled: &mut Filled) -> Result<Output> {
    let mut late = Output::default();
    late.add((later.make)()?);
    if let Some(path) = late.generated().find(|p| !p.starts_with(later.folder)) {
        anyhow::bail!("{path} is not in {} (a bug in tessera: please report it)", later.folder);
    }
    let kept = filled.kept.as_ref().map(|m| super::Generation { files: &m.files, settled: &filled.settled });
    let written = super::write_reusing(&late, dir, previous, kept.as_ref())?;
    filled.written.extend(written);
    remove_files(dir, filled.deferred.iter().filter(|path| !late.contains(path)))?;
    Ok(late)
}

/// Brings the spare generation in `dir` up to date with `output`: what the new site does not
/// have goes, and each file is written again only when its bytes differ from the new ones or
/// someone touched it since (its stamp is not the one its manifest recorded). Files in the
/// folder `later` (when given) are left as they are, for [`write_later`]. `surveyed` is what
/// [`survey`] listed of the spare generation, used when that generation is still the one it
/// listed (another build may have replaced it since).
fn fill(
    output: &Output,
    dir: &Path,
    previous: Option<&super::Previous>,
    later: Option<&str>,
    surveyed: Option<Listing>,
) -> Result<Filled> {
    let written_ns = std::fs::symlink_metadata(dir.join(MANIFEST)).ok().as_ref().and_then(inode_changed_ns);
    let (manifest, files, settled) = match surveyed.filter(|(m, ..)| m.changed_ns.is_some() && m.changed_ns == written_ns) {
        Some(surveyed) => surveyed,
        None => {
            let manifest = Manifest::of(dir).context("it has no manifest")?;
            let (files, settled) = files_in(dir, &manifest);
            (manifest, files, settled)
        }
    };
    let (deferred, stale): (Vec<String>, Vec<String>) = files
        .into_iter()
        .filter(|path| path != MARKER && !output.contains(path))
        .partition(|path| later.is_some_and(|folder| path.starts_with(folder)));
    remove_files(dir, stale.iter())?;
    let generation = super::Generation { files: &manifest.files, settled: &settled };
    let written = super::write_reusing(output, dir, previous, Some(&generation))?;
    Ok(Filled { written, kept: Some(manifest), deferred, settled })
}

/// Removes the files at `paths` below `dir`, then the folders that left empty.
fn remove_files<'p>(dir: &Path, paths: impl Iterator<Item = &'p String>) -> Result<()> {
    let mut emptied = std::collections::BTreeSet::new();
    for path in paths {
        let file = dir.join(path);
        std::fs::remove_file(&file).with_context(|| format!("cannot remove {}", file.display()))?;
        let mut folder = path.as_str();
        while let Some((up, _)) = folder.rsplit_once('/') {
            emptied.insert(up.to_string());
            folder = up;
        }
    }
    // Deepest first; a folder that still holds something stays.
    let mut emptied: Vec<String> = emptied.into_iter().collect();
    emptied.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in emptied {
        let _ = std::fs::remove_dir(dir.join(folder));
    }
    Ok(())
}

/// Every entry below the tree `dir` that is not a folder, as a `/`-separated path relative to
/// it. With the tree's `manifest`, a folder is read only when it changed since the manifest was
/// written: adding, removing or renaming an entry changes a folder's inode time (`ctime`, which
/// no tool can set back), so a folder whose time is before the manifest's holds exactly the
/// files the manifest lists in it, and a stat replaces reading it (an output has a folder per
/// page). A time equal to the manifest's, within the clock's tick, counts as changed.
/// Returns the files, and the folders found unchanged ("settled").
fn files_in(dir: &Path, manifest: &Manifest) -> (Vec<String>, PathSet) {
    let Some(written) = manifest.changed_ns else { return (files_below(dir, ""), PathSet::default()) };
    // Every folder of the tree (the top one is "") with the files the manifest lists in it.
    let mut listed: HashMap<&str, Vec<&str>, rustc_hash::FxBuildHasher> = HashMap::default();
    listed.insert("", vec![]);
    for path in manifest.paths.iter().chain(&manifest.foreign) {
        let (folder, _) = path.rsplit_once('/').unwrap_or(("", path));
        listed.entry(folder).or_default().push(path);
        // The folders above it, up to the first one already known (whose are known too).
        let mut up = folder;
        while let Some((parent, _)) = up.rsplit_once('/').filter(|(parent, _)| !listed.contains_key(parent)) {
            listed.insert(parent, vec![]);
            up = parent;
        }
    }
    let settled = std::sync::Mutex::new(PathSet::default());
    let files = listed
        .par_iter()
        .flat_map_iter(|(&folder, files)| {
            let path = dir.join(folder);
            let changed = std::fs::symlink_metadata(&path).ok().filter(|m| m.is_dir()).map(|m| inode_changed_ns(&m));
            match changed {
                Some(Some(changed)) if changed < written => {
                    settled.lock().unwrap_or_else(|e| e.into_inner()).insert(folder.to_string());
                    files.iter().map(|f| f.to_string()).collect()
                }
                // Read: its files, and everything below each folder in it the manifest does not know.
                Some(_) => read_folder(&path, folder)
                    .into_iter()
                    .flat_map(|(entry, is_dir)| match is_dir {
                        false => vec![entry],
                        true if listed.contains_key(entry.as_str()) => vec![],
                        true => files_below(&dir.join(&entry), &entry),
                    })
                    .collect(),
                None => vec![],
            }
        })
        .collect();
    (files, settled.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// The entries of the folder `dir` (at `relative` in its tree) with whether each is a folder.
fn read_folder(dir: &Path, relative: &str) -> Vec<(String, bool)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let is_dir = entry.file_type().ok()?.is_dir();
            let name = entry.file_name().to_string_lossy().into_owned();
            Some((if relative.is_empty() { name } else { format!("{relative}/{name}") }, is_dir))
        })
        .collect()
}

/// Every entry that is not a folder below `dir`, which is at `relative` in its tree; folders
/// are read in parallel. What cannot be read is left out.
fn files_below(dir: &Path, relative: &str) -> Vec<String> {
    fn visit<'s>(scope: &rayon::Scope<'s>, dir: PathBuf, relative: String, found: &'s std::sync::Mutex<Vec<String>>) {
        let mut files = Vec::new();
        for (path, is_dir) in read_folder(&dir, &relative) {
            if is_dir {
                let below = dir.join(path.rsplit('/').next().unwrap_or(&path));
                scope.spawn(move |scope| visit(scope, below, path, found));
            } else {
                files.push(path);
            }
        }
        found.lock().unwrap_or_else(|e| e.into_inner()).extend(files);
    }
    let found = std::sync::Mutex::new(Vec::new());
    rayon::scope(|scope| visit(scope, dir.to_path_buf(), relative.to_string(), &found));
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// When the inode behind `m` last changed, in nanoseconds.
pub(super) fn inode_changed_ns(m: &std::fs::Metadata) -> Option<i128> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(m.ctime() as i128 * 1_000_000_000 + m.ctime_nsec() as i128)
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        None
    }
}

/// Beside the marker, the list of every path the build wrote: what is in the output folder and
/// not on the previous list was put there by someone else (`CNAME`, `.git`) and is kept.
pub const MANIFEST: &str = ".tessera-manifest";

/// The manifest's lines for generated files: each with the fingerprint of its bytes and its
/// stamp `size.mtime_ns.inode` (a rebuild links the unchanged ones instead of writing them).
fn manifest_lines_of<'w>(written: impl IntoIterator<Item = (&'w String, &'w Written)>) -> String {
    use std::fmt::Write;
    let written = written.into_iter();
    let mut list = String::with_capacity(written.size_hint().0 * 100);
    for (path, file) in written {
        let _ = match file.stamp {
            Some(stamp) => writeln!(list, "{:032x} {stamp} {path}", file.print),
            None => writeln!(list, "{:032x} {path}", file.print),
        };
    }
    list
}

/// Writes the manifest into `staging`: the `generated` files' lines ([`manifest_lines_of`]),
/// each copied file with `-` and its stamp, each file kept from someone else with `+`.
fn write_manifest(generated: String, output: &Output, foreign: &[String], staging: &Path) -> Result<()> {
    let mut list = String::from("# Every file tessera wrote here; the others are kept by the next build.\n");
    list.push_str(&generated);
    for path in output.copies.keys() {
        match Stamp::of(&staging.join(path)) {
            Some(stamp) => list.push_str(&format!("- {stamp} {path}\n")),
            None => list.push_str(&format!("- {path}\n")),
        }
    }
    for path in foreign {
        list.push_str(&format!("{FOREIGN} {path}\n"));
    }
    std::fs::write(staging.join(MANIFEST), list).with_context(|| format!("cannot write into {}", staging.display()))
}

/// Marks a file on the manifest that someone else put in the output folder and a build kept.
const FOREIGN: &str = "+";

/// A tree's manifest, as a build reads it. A build reads the live output's once
/// ([`Manifest::of`], or [`super::LastBuild::manifest`]) and shares it with each stage that
/// needs it.
pub struct Manifest {
    /// How the generated files were written.
    pub(super) files: PathMap<Written>,
    /// Every file tessera wrote (generated or copied).
    pub(super) paths: PathSet,
    /// The files of someone else the build kept.
    pub(super) foreign: Vec<String>,
    /// When the manifest was written (its inode's change time).
    pub(super) changed_ns: Option<i128>,
    /// Whether every generated file it lists was found as listed when the build started.
    pub(super) checked: bool,
}

impl Manifest {
    /// The manifest of the tree `out` (an output folder, or a generation of it), when it has one.
    pub fn of(out: &Path) -> Option<Manifest> {
        let (text, changed_ns) = manifest_text(out)?;
        Some(Manifest::from_lines(manifest_lines(&text), changed_ns))
    }

    /// The fingerprint it records for the generated file at `path`.
    pub fn print(&self, path: &str) -> Option<u128> {
        self.files.get(path).map(|w| w.print)
    }

    /// The manifest of these lines, written at `changed_ns`.
    pub(super) fn from_lines<'a>(lines: impl IntoIterator<Item = ManifestLine<'a>>, changed_ns: Option<i128>) -> Manifest {
        let mut manifest =
            Manifest { files: PathMap::default(), paths: PathSet::default(), foreign: Vec::new(), changed_ns, checked: false };
        for line in lines {
            if line.foreign {
                manifest.foreign.push(line.path.to_string());
                continue;
            }
            if let Some(print) = line.print {
                manifest.files.insert(line.path.to_string(), Written { print, stamp: line.stamp });
            }
            manifest.paths.insert(line.path.to_string());
        }
        manifest
    }
}

/// The manifest of the tree `out`: its text, and when it was written.
pub(super) fn manifest_text(out: &Path) -> Option<(String, Option<i128>)> {
    let file = std::fs::File::open(out.join(MANIFEST)).ok()?;
    let changed_ns = file.metadata().ok().as_ref().and_then(inode_changed_ns);
    Some((std::io::read_to_string(file).ok()?, changed_ns))
}

/// One file on a manifest: `print stamp path` for a generated file, `- stamp path` for a
/// copied one (manifests of older versions have no stamp), `+ path` for someone else's.
pub(super) struct ManifestLine<'a> {
    pub print: Option<u128>,
    pub stamp: Option<Stamp>,
    pub path: &'a str,
    pub foreign: bool,
}

/// The files a manifest's text lists.
pub(super) fn manifest_lines(text: &str) -> impl Iterator<Item = ManifestLine<'_>> {
    text.lines().filter(|l| !l.starts_with('#')).filter_map(|line| {
        let (print, rest) = line.split_once(' ')?;
        if print == FOREIGN {
            return Some(ManifestLine { print: None, stamp: None, path: rest, foreign: true });
        }
        let (stamp, path) = match rest.split_once(' ').map(|(s, p)| (parse_stamp(s), p)) {
            Some((Some(stamp), path)) => (Some(stamp), path),
            _ => (None, rest),
        };
        Some(ManifestLine { print: u128::from_str_radix(print, 16).ok(), stamp, path, foreign: false })
    })
}

/// A stamp as the manifest writes it: `size.mtime_ns.inode`.
fn parse_stamp(text: &str) -> Option<Stamp> {
    let mut parts = text.split('.');
    let stamp =
        Stamp { len: parts.next()?.parse().ok()?, modified_ns: parts.next()?.parse().ok()?, inode: parts.next()?.parse().ok()? };
    parts.next().is_none().then_some(stamp)
}

/// The files of the live output `out` that tessera did not write: not on its `manifest`. (An
/// output without one, of an older tessera, has none: every file counts as tessera's.)
fn foreign_files(out: &Path, manifest: &Manifest) -> Vec<String> {
    let ours = |relative: &String| relative == MARKER || relative == MANIFEST || manifest.paths.contains(relative);
    files_in(out, manifest).0.into_iter().filter(|relative| !ours(relative)).collect()
}

/// Carries into `staging` the `foreign` files of the live output `out` ([`foreign_files`]):
/// hard links, so nothing is copied and the file is the same. A file the new site now writes
/// itself is replaced, with a warning. Returns the files kept, and the warnings.
fn keep_foreign_files(
    written: &dyn Fn(&str) -> bool,
    out: &Path,
    foreign: Vec<String>,
    staging: &Path,
) -> Result<(Vec<String>, Vec<String>)> {
    let mut warnings = Vec::new();
    let mut kept = Vec::new();
    for relative in foreign {
        let path = out.join(&relative);
        if written(&relative) {
            warnings.push(format!(
                "warning: {} was not written by tessera, but the site now writes that file: it is replaced",
                path.display()
            ));
            continue;
        }
        let Ok(kind) = std::fs::symlink_metadata(&path).map(|m| m.file_type()) else { continue };
        let target = staging.join(&relative);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Whatever is in the way in a kept generation goes first: never written through.
        super::unlink(&target)?;
        let carried = if kind.is_symlink() {
            std::fs::read_link(&path).and_then(|to| std::os::unix::fs::symlink(to, &target))
        } else {
            std::fs::hard_link(&path, &target).or_else(|_| std::fs::copy(&path, &target).map(|_| ()))
        };
        carried.with_context(|| format!("cannot keep {}", path.display()))?;
        kept.push(relative);
    }
    Ok((kept, warnings))
}

/// A fresh staging folder in `parent`, holding the marker before anything else (so a build
/// killed while writing leaves a folder the next build recognises as its own).
pub(super) fn create_staging(parent: &Path) -> Result<PathBuf> {
    let staging = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a staging folder in {}", parent.display()))?
        .keep();
    std::fs::write(staging.join(MARKER), MARKER_TEXT).with_context(|| format!("cannot write into {}", staging.display()))?;
    Ok(staging)
}

/// Puts `staging` in place of `out`; returns where the previous output now is, if any.
fn swap(staging: &Path, out: &Path) -> Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(staging, out).with_context(|| format!("cannot move the new site into {}", out.display()))?;
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    match exchange(staging, out) {
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        // The file system cannot exchange: fall back to two renames.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP)) => {}
        Err(e) => return Err(e).with_context(|| format!("cannot exchange {} with the new site", out.display())),
    }
    two_renames(staging, out).map(Some)
}

/// Exchanges two paths atomically: both exist at every instant.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// The portable swap: the previous output moves aside, the staging folder takes its name.
/// Between the two renames there is no output folder; a kill there leaves the previous site
/// in `.tessera-old-*`.
fn two_renames(staging: &Path, out: &Path) -> Result<PathBuf> {
    let parent = out.parent().context("the output folder has no parent folder")?;
    let old = tempfile::Builder::new()
        .prefix(&format!("{OLD_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?
        .keep();
    std::fs::remove_dir(&old)?;
    std::fs::rename(out, &old).with_context(|| format!("cannot move the previous {} aside", out.display()))?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e).with_context(|| format!("cannot move the new site into {}", out.display()));
    }
    Ok(old)
}

/// Removes the staging and old folders that killed builds left in `parent`: only folders with
/// tessera's names, made by a process that is gone, and holding its marker (or empty). Returns
/// a warning for each that could not be removed.
pub fn remove_leftovers(parent: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(parent) else { return vec![] };
    let mut warnings = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = entry.file_name().to_str().and_then(leftover_pid) else { continue };
        if pid == std::process::id() || process_alive(pid) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        if !path.join(MARKER).is_file() {
            // Made by tessera only if empty: a killed build writes the marker first.
            if std::fs::remove_dir(&path).is_err() {
                warnings.push(format!(
                    "warning: left {} alone: it has no {MARKER} file, so tessera did not write it",
                    path.display()
                ));
            }
        } else if let Err(e) = remove_tree(&path) {
            warnings.push(format!(
                "warning: cannot remove {}, left by an interrupted build ({e}); remove it yourself",
                path.display()
            ));
        }
    }
    warnings
}

/// `.tessera-staging-1234-abcdef` -> 1234: the process that made a staging or old folder.
fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(STAGING_PREFIX).or_else(|| name.strip_prefix(OLD_PREFIX))?;
    rest.split_once('-')?.0.parse().ok()
}

/// Whether process `pid` still runs (a build writing its own staging folder right now).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = i32::try_from(pid) else { return false };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// Removes a folder tree tessera wrote, its top-level entries in parallel (a site has a folder
/// per language and section, and removing tens of thousands of files one by one is slow).
pub(super) fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<std::io::Result<_>>()?;
    // The marker goes last, so an interrupted removal leaves a folder still marked as tessera's.
    entries.par_iter().filter(|p| !p.ends_with(MARKER)).try_for_each(|path| -> std::io::Result<()> {
        if path.is_dir() && !path.is_symlink() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) }
    })?;
    let marker = dir.join(MARKER);
    if marker.exists() {
        std::fs::remove_file(marker)?;
    }
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names() {
        assert_eq!(leftover_pid(".tessera-staging-42-AbC123"), Some(42));
        assert_eq!(leftover_pid(".tessera-old-7-x"), Some(7));
        assert_eq!(leftover_pid(".tessera-staging-x"), None);
        assert_eq!(leftover_pid("public"), None);
    }

    #[test]
    fn leftovers_of_dead_builds_go_and_nothing_else() {
        let parent = tempfile::tempdir().unwrap();
        // A pid that cannot be running: above the kernel's maximum.
        let dead = parent.path().join(".tessera-staging-99999999-abc");
        std::fs::create_dir_all(dead.join("en")).unwrap();
        std::fs::write(dead.join(MARKER), "").unwrap();
        std::fs::write(dead.join("en/index.html"), "x").unwrap();
        let empty = parent.path().join(".tessera-old-99999999-def");
        std::fs::create_dir(&empty).unwrap();
        let unmarked = parent.path().join(".tessera-old-99999999-ghi");
        std::fs::create_dir(&unmarked).unwrap();
        std::fs::write(unmarked.join("mine.txt"), "not tessera's").unwrap();
        let alive = parent.path().join(format!(".tessera-staging-{}-jkl", std::process::id()));
        std::fs::create_dir(&alive).unwrap();
        let warnings = remove_leftovers(parent.path());
        assert!(!dead.exists() && !empty.exists());
        assert!(unmarked.join("mine.txt").exists() && alive.exists());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    fn output(files: &[(&str, &str)]) -> Output {
        let mut output = Output::default();
        output.add(files.iter().map(|(p, b)| (p.to_string(), b.as_bytes().to_vec())).collect());
        output
    }

    fn later<'a>(files: &'a [(&'a str, &'a str)]) -> Later<'a> {
        Later {
            folder: "pagefind/",
            make: Box::new(move || Ok(files.iter().map(|(p, b)| (p.to_string(), b.as_bytes().to_vec())).collect())),
        }
    }

    /// Files made while the others are written land beside them; in the spare generation, later
    /// files the new site no longer has go, and a failure to make them leaves the output as it was.
    #[test]
    fn later_files_are_written_after_the_others() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let build = |pages: &[(&str, &str)], late: Option<Later>| {
            write(&output(pages), &out, None, Manifest::of(&out).as_ref(), late, Survey::default())
        };
        build(&[("index.html", "one")], Some(later(&[("pagefind/a.pf_fragment", "a"), ("pagefind/x/b.pf_index", "b")]))).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("pagefind/x/b.pf_index")).unwrap(), "b");
        build(&[("index.html", "two")], Some(later(&[("pagefind/a.pf_fragment", "a")]))).unwrap();
        // The third build writes into the second's spare, which holds the first's files.
        build(&[("index.html", "three")], Some(later(&[("pagefind/c.pf_fragment", "c")]))).unwrap();
        let mut files = files_below(&out, "");
        files.sort();
        assert_eq!(files, [MANIFEST, MARKER, "index.html", "pagefind/c.pf_fragment"]);
        assert!(!out.join("pagefind/x").exists());

        let failing = Later { folder: "pagefind/", make: Box::new(|| anyhow::bail!("no index")) };
        let error = build(&[("index.html", "four")], Some(failing)).unwrap_err();
        assert!(format!("{error:#}").contains("no index"), "{error:#}");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "three");
        assert!(out.join("pagefind/c.pf_fragment").exists());
        let outside = later(&[("elsewhere.html", "x")]);
        assert!(build(&[("index.html", "five")], Some(outside)).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "three");
    }
}
