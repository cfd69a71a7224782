//! The broken-site suite: each folder of `tests/fixtures/broken/` (but `_base`) holds the files
//! one case adds to or changes in `_base`, a small site that builds, and an `expect.txt`: the
//! exit code and lines that `check` and `build` must both print. For every case the two commands
//! report the same errors and warnings, and a failing build leaves the previous output as it was.

mod common;
use common::{copy_dir, snapshot, tessera};
use std::path::{Path, PathBuf};

const BROKEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken");

struct Expected {
    exit: i32,
    lines: Vec<String>,
}

fn expected(case: &Path) -> Expected {
    let text = std::fs::read_to_string(case.join("expect.txt")).unwrap();
    let mut exit = None;
    let mut lines = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        match line.strip_prefix("exit: ") {
            Some(code) => exit = Some(code.trim().parse().unwrap()),
            None => lines.push(line.to_string()),
        }
    }
    Expected { exit: exit.expect("expect.txt names the exit code"), lines }
}

/// The error and warning lines of a run, sorted (the rest differs between the commands).
fn problems(stderr: &str) -> Vec<String> {
    let mut lines: Vec<String> = stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: ") || l.starts_with("    "))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(BROKEN).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir() && !p.ends_with("_base")).collect();
    cases.sort();
    cases
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Path) -> Option<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&Path::new(BROKEN).join("_base"), &root);
    let out = root.join("public");
    let first = tessera(&["build", "--root", root.to_str().unwrap()]);
    assert!(first.status.success(), "_base does not build: {}", String::from_utf8_lossy(&first.stderr));
    let before = snapshot(&out);
    copy_dir(case, &root);
    std::fs::remove_file(root.join("expect.txt")).unwrap();

    let expected = expected(case);
    let check = tessera(&["check", "--root", root.to_str().unwrap()]);
    let build = tessera(&["build", "--root", root.to_str().unwrap()]);
    let (check_err, build_err) = (String::from_utf8_lossy(&check.stderr), String::from_utf8_lossy(&build.stderr));
    let mut wrong = Vec::new();
    for (command, status, err) in [("check", &check.status, &check_err), ("build", &build.status, &build_err)] {
        if status.code() != Some(expected.exit) {
            wrong.push(format!("{command} exited {:?}, expected {}", status.code(), expected.exit));
        }
        for line in expected.lines.iter().filter(|l| !err.contains(l.as_str())) {
            wrong.push(format!("{command} did not print `{line}`"));
        }
    }
    if problems(&check_err) != problems(&build_err) {
        wrong.push("check and build report different problems".into());
    }
    if expected.exit != 0 && snapshot(&out) != before {
        wrong.push("the failed build changed the previous output".into());
    }
    (!wrong.is_empty()).then(|| format!("{name}:\n  {}\n--- check:\n{check_err}\n--- build:\n{build_err}", wrong.join("\n  ")))
}

#[test]
fn check_and_build_report_every_broken_case_alike() {
    let cases = cases();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c)).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}
