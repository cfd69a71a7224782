//! Helpers for integration tests: copy a fixture site into a temp dir, run the real binary on
//! it, read what it wrote.
#![allow(dead_code)]

pub mod crawl;
pub mod generate;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A copy of `tests/fixtures/<name>` in a fresh temp dir (kept alive by the returned guard).
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture(name), &root);
    (dir, root)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).args(args).output().expect("run tessera")
}

/// Runs `tessera build --root ROOT [extra...]` and panics with its output if it fails.
pub fn build(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = tessera(&args);
    assert!(
        out.status.success(),
        "build failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file below `dir` as (relative path, bytes), sorted.
#[allow(dead_code)]
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[allow(dead_code)]
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The output folder of `tessera build` run again in `root` after edits equals that of a first
/// build of a copy of the same files (the manifest aside: it records each file's inode).
pub fn assert_output_same_as_fresh_build(root: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("site");
    copy_dir(root, &copy);
    for generated in ["public", ".tessera-spare-public", ".tessera-cache"] {
        let _ = std::fs::remove_dir_all(copy.join(generated));
    }
    build(&copy, &[]);
    let files = |dir: &Path| snapshot(dir).into_iter().filter(|(p, _)| p != ".tessera-manifest").collect::<Vec<_>>();
    let (rebuilt, fresh) = (files(&root.join("public")), files(&copy.join("public")));
    // Files both have first, so a failure names the page that differs, not only the search
    // files named after its text.
    let fresh_files: std::collections::BTreeMap<&String, &Vec<u8>> = fresh.iter().map(|(p, b)| (p, b)).collect();
    for (path, left) in &rebuilt {
        if let Some(right) = fresh_files.get(path) {
            assert!(
                left == *right,
                "{path} differs:\n--- rebuilt\n{}\n--- fresh\n{}",
                String::from_utf8_lossy(left),
                String::from_utf8_lossy(right)
            );
        }
    }
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&rebuilt), names(&fresh), "different sets of files");
}

/// Waits until files just written are old enough for a build to trust their stamps (a file
/// changed within the clock's tick of a build is not trusted).
pub fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2100));
}
