//! Every HTML page of the bundled site and of the `tessera new` site passes the Nu Html Checker
//! (npm `vnu-jar`, run on Java) with no error. `bash .ci/run install` installs both.

mod common;
use common::tessera;
use std::path::{Path, PathBuf};
use std::process::Command;

const VNU: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/node_modules/vnu-jar/build/dist/vnu.jar");

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Runs the checker once over every HTML file under `out`; panics listing every error.
fn assert_valid(out: &Path) {
    assert!(Path::new(VNU).is_file(), "{VNU} is missing: run `bash .ci/run install` (npm ci installs vnu-jar)");
    let files = html_files(out);
    assert!(files.len() > 10, "only {} pages under {}", files.len(), out.display());
    let result = Command::new("java")
        .args(["-jar", VNU, "--errors-only", "--format", "gnu"])
        .args(&files)
        .output()
        .expect("java runs: install it with `bash .ci/run install` (Debian's default-jre-headless)");
    let report = String::from_utf8_lossy(&result.stderr).replace(&format!("{}/", out.display()), "");
    assert!(result.status.success() && report.trim().is_empty(), "{} pages checked, errors:\n{report}", files.len());
}

#[test]
fn the_bundled_site_is_valid_html() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = tessera(&["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert_valid(&out);
}

#[test]
fn the_new_site_is_valid_html() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    assert!(tessera(&["new", root.to_str().unwrap()]).status.success());
    let out = tmp.path().join("public");
    let result = tessera(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert_valid(&out);
}
