//! Builds under faults. `tessera build` of a generated site of a few thousand pages is killed
//! with SIGKILL at random moments (while rendering, writing, swapping and removing the previous
//! site); after each kill the output folder is whole and byte-identical to one of the two
//! generations, and the next build leaves nothing behind. A read-only parent folder and a full
//! disk give an error naming the path and keep the previous site; a previous site that cannot
//! be removed is a warning, not a failed build.
//!
//! Uses the test-only hooks of `src/output/hooks.rs` (`TESSERA_TEST_SWAP_DELAY_MS`,
//! `TESSERA_TEST_FAIL_WRITE_AFTER_BYTES`). Set `KILLS` / `ARTICLES` to run longer.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

type Snapshot = BTreeMap<String, Vec<u8>>;

/// Every file under `dir` by relative path. The manifest is kept without each file's stamp
/// (size, time and inode it was written with), which differs from one build to the next.
fn snapshot(dir: &Path) -> Snapshot {
    assert!(dir.is_dir(), "{} does not exist", dir.display());
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).unwrap();
            let bytes = if name == ".tessera-manifest" { without_stamps(&bytes) } else { bytes };
            (name, bytes)
        })
        .collect()
}

/// The manifest's lines as `fingerprint path`.
fn without_stamps(manifest: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(manifest);
    let lines = text.lines().map(|line| {
        let mut parts = line.splitn(3, ' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(print), Some(stamp), Some(path)) if stamp.split('.').count() == 3 => format!("{print} {path}\n"),
            _ => format!("{line}\n"),
        }
    });
    lines.collect::<String>().into_bytes()
}

/// Names in `parent` other than the output folder and its kept previous generation.
fn leftovers(parent: &Path, out: &Path) -> Vec<String> {
    let spare = parent.join(format!(".tessera-spare-{}", out.file_name().unwrap().to_string_lossy()));
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p != out && *p != spare)
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// A small xorshift generator, seeded from the clock (the seed is printed to replay a run).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1);
        println!("seed {seed} (SEED={seed} replays this run)");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A running build; killed and reaped when dropped.
struct Build {
    child: Child,
    steps: mpsc::Receiver<String>,
    last: String,
}

impl Build {
    fn start(root: &Path, out: &Path, delay_ms: u64) -> Build {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()])
            .env("TESSERA_TEST_SWAP_DELAY_MS", delay_ms.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tessera build");
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (tx, steps) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if let Some(step) = line.strip_prefix("tessera-test: ") {
                    let _ = tx.send(step.to_string());
                }
            }
        });
        Build { child, steps, last: "rendering".into() }
    }

    /// Waits for the build to announce `step`; false when it ended first.
    fn wait_for(&mut self, step: &str) -> bool {
        while let Ok(s) = self.steps.recv_timeout(Duration::from_secs(120)) {
            self.last = s.clone();
            if s == step {
                return true;
            }
        }
        false
    }

    /// Kills the build with SIGKILL and returns the last step it announced.
    fn kill(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        while let Ok(s) = self.steps.recv_timeout(Duration::from_millis(200)) {
            self.last = s;
        }
        std::mem::take(&mut self.last)
    }
}

impl Drop for Build {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two generations of one site: B differs from A in the site title, so nearly every file differs.
struct Generations {
    root: PathBuf,
    yaml_a: String,
    yaml_b: String,
}

impl Generations {
    fn set(&self, b: bool) {
        std::fs::write(self.root.join("site.yaml"), if b { &self.yaml_b } else { &self.yaml_a }).unwrap();
    }
}

fn generations(dir: &Path, articles: usize) -> Generations {
    let root = generate::network_site(dir, articles, &["en", "hi", "az", "ar"]);
    let yaml_a = read(root.join("site.yaml"));
    let yaml_b = yaml_a.replace("Partnership Network", "Partnership Network B");
    assert_ne!(yaml_a, yaml_b);
    Generations { root, yaml_a, yaml_b }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn killed_builds_leave_a_whole_output_folder() {
    let kills = env_number("KILLS", 32);
    let tmp = tempfile::tempdir().unwrap();
    let site = generations(tmp.path(), env_number("ARTICLES", 400));
    let parent = tmp.path().join("www");
    let out = parent.join("public");

    // Both generations, built whole; building A again gives the same bytes.
    let started = Instant::now();
    generate::build_to(&site.root, &out);
    let full = started.elapsed();
    let a = snapshot(&out);
    site.set(true);
    generate::build_to(&site.root, &out);
    let b = snapshot(&out);
    site.set(false);
    generate::build_to(&site.root, &out);
    assert!(snapshot(&out) == a, "two builds of the same site differ");
    let pages = a.keys().filter(|p| p.ends_with(".html")).count();
    println!("{pages} HTML pages, {} files; a whole build takes {} ms", a.len(), full.as_millis());

    let delay = 150;
    let mut rng = Rng::new();
    let mut current_b = false;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for k in 0..kills {
        site.set(!current_b);
        let mut build = Build::start(&site.root, &out, delay);
        // Every fifth kill at any moment; the others during or after a given step of the swap.
        match k % 5 {
            0 => std::thread::sleep(Duration::from_millis(rng.below(full.as_millis() as u64 + 3 * delay))),
            1 => {
                build.wait_for("staged");
                std::thread::sleep(Duration::from_millis(rng.below(delay)));
            }
            2 => {
                build.wait_for("swapped");
                std::thread::sleep(Duration::from_millis(rng.below(delay + 100)));
            }
            3 => {
                build.wait_for("writing");
                std::thread::sleep(Duration::from_millis(rng.below(delay + full.as_millis() as u64 / 3)));
            }
            _ => std::thread::sleep(Duration::from_millis(full.as_millis() as u64 / 2 + rng.below(full.as_millis() as u64))),
        }
        let step = build.kill();
        *seen.entry(step.clone()).or_default() += 1;
        let now = snapshot(&out);
        assert!(now == a || now == b, "after kill {k} (last step: {step}) {} is neither generation", out.display());
        current_b = now == b;
    }
    println!("{kills} kills survived, by the last step each build reached: {seen:?}");
    assert!(seen.get("swapped").copied().unwrap_or(0) + seen.get("removed").copied().unwrap_or(0) > 0, "no kill after a swap");
    assert!(seen.get("staged").copied().unwrap_or(0) > 0, "no kill right before a swap");
    assert!(seen.get("writing").copied().unwrap_or(0) > 0, "no kill while writing");

    site.set(!current_b);
    generate::build_to(&site.root, &out);
    assert!(snapshot(&out) == if current_b { a } else { b }, "the build after the kills did not write the new generation");
    assert_eq!(leftovers(&parent, &out), Vec::<String>::new(), "the next build left something behind");
}

/// Makes a folder unwritable even for root (`chattr +i` as root, mode 0555 otherwise); undone
/// when dropped.
struct Frozen(PathBuf);

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

impl Frozen {
    fn new(dir: &Path) -> Frozen {
        if is_root() {
            let status = Command::new("chattr").arg("+i").arg(dir).status().expect("run chattr");
            assert!(status.success(), "chattr +i {} failed: this test needs a file system with immutable folders", dir.display());
        } else {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        Frozen(dir.to_path_buf())
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        if is_root() {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

/// A small site built once into `www/public`: (temp dir, site root, output folder, its files).
fn built_site() -> (tempfile::TempDir, PathBuf, PathBuf, Snapshot) {
    let tmp = tempfile::tempdir().unwrap();
    let root = generate::network_site(tmp.path(), 12, &["en", "ar"]);
    let out = tmp.path().join("www/public");
    generate::build_to(&root, &out);
    let before = snapshot(&out);
    (tmp, root, out, before)
}

fn build_with(root: &Path, out: &Path, env: &[(&str, &str)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()])
        .envs(env.iter().copied())
        .output()
        .expect("run tessera build")
}

#[test]
fn read_only_parent_names_the_folder_and_keeps_the_site() {
    let (_tmp, root, out, before) = built_site();
    std::fs::write(root.join("content/about.en.md"), "---\ntitle: Changed\n---\nChanged.\n").unwrap();
    let parent = out.parent().unwrap();
    let result = {
        let _frozen = Frozen::new(parent);
        build_with(&root, &out, &[])
    };
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("cannot create a staging folder in {}", parent.display())), "{err}");
    assert!(err.contains(&format!("{} is unchanged", out.display())), "{err}");
    assert!(snapshot(&out) == before, "the previous site changed");
    assert_eq!(leftovers(parent, &out), Vec::<String>::new());
}

#[test]
fn full_disk_names_the_file_and_keeps_the_site() {
    let (_tmp, root, out, before) = built_site();
    std::fs::write(root.join("content/about.en.md"), "---\ntitle: Changed\n---\nChanged.\n").unwrap();
    let result = build_with(&root, &out, &[("TESSERA_TEST_FAIL_WRITE_AFTER_BYTES", "20000")]);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device") || err.contains("storage full"), "{err}");
    assert!(err.contains("cannot write ") && err.contains(".tessera-staging-"), "the error names no file: {err}");
    assert!(err.contains(&format!("{} is unchanged", out.display())), "{err}");
    assert!(snapshot(&out) == before, "the previous site changed");
    assert_eq!(leftovers(out.parent().unwrap(), &out), Vec::<String>::new(), "the staging folder was left behind");
}

#[test]
fn previous_site_that_cannot_be_updated_or_removed_is_a_warning() {
    let (_tmp, root, out, _) = built_site();
    let about =
        |text: &str| std::fs::write(root.join("content/about.ar.md"), format!("---\ntitle: {text}\n---\n{text}.\n")).unwrap();
    let parent = out.parent().unwrap().to_path_buf();
    about("First");
    build_with(&root, &out, &[]);
    let spare = parent.join(".tessera-spare-public");
    assert!(spare.join("ar/about/index.html").is_file(), "the replaced generation is not kept");
    about("Second");
    {
        // The kept generation's Arabic pages cannot be replaced, nor the folder removed.
        let mut frozen = Frozen::new(&spare.join("ar/about"));
        let result = build_with(&root, &out, &[]);
        let err = stderr(&result);
        assert!(result.status.success(), "the build failed although a new tree could be written: {err}");
        assert!(err.contains("warning: the previous generation of the site") && err.contains("could not be updated"), "{err}");
        assert!(read(out.join("ar/about/index.html")).contains("Second"));
        // The stuck generation is still there, under a name the next build removes.
        let left = leftovers(&parent, &out);
        assert_eq!(left.len(), 1, "{left:?}");
        frozen.0 = parent.join(&left[0]).join("ar/about");
    }
    build_with(&root, &out, &[]);
    assert_eq!(leftovers(&parent, &out), Vec::<String>::new(), "the next build did not remove the stuck generation");
}
