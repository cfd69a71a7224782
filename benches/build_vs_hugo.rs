//! The same generated multilingual site (N articles in en, hi, az, ar; equivalent page, list and
//! taxonomy templates) built by tessera and by Hugo, runs alternating between the two. Scenarios:
//! a cold build (new output folder, no caches), a rebuild with nothing edited, a rebuild after a
//! one-word edit to one article, a second such rebuild (tessera then has a previous generation
//! to bring up to date), and tessera with its search index (cold, then two edits), which
//! Hugo does not build. Each build's wall time, CPU time (user + sys) and peak RSS come from the
//! kernel's accounting of that child process (`wait4`). A last table shows tessera alone at
//! growing sizes, so cost per article is visible.
//!
//! Run: `cargo bench --bench build_vs_hugo`. Settings (environment): SIZES="1000,10000" (articles
//! per language), RUNS=3, PAUSE=5 (seconds of quiet, after `sync`, before each build),
//! ALONE_SIZES="100,1000,10000" (empty: no growth table). Installs Hugo with `apt-get install -y hugo` if it is missing
//! (the figures in BENCHMARKS.md are against Hugo 0.111). `GENERATE_ONLY=DIR ARTICLES=N` writes
//! the two sites into DIR/tessera and DIR/hugo for profiling and stops.

mod sitegen;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// What one build cost, as the kernel counted it for that child process.
#[derive(Clone, Copy)]
struct Cost {
    wall: Duration,
    cpu: Duration,
    peak_rss_kib: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Tessera,
    Hugo,
}

/// The second one-edit rebuild is the steady state of an editor building again and again: the
/// first rebuild after a cold build has no previous generation to bring up to date yet.
const SCENARIOS: [&str; 7] = [
    "cold",
    "no-change rebuild",
    "one-edit rebuild",
    "second one-edit rebuild",
    "search on, cold",
    "search on, one-edit rebuild",
    "search on, second one-edit rebuild",
];
/// The Hugo scenario each tessera scenario is compared with: Hugo has no search index, so the
/// search rows compare with Hugo's builds without one.
const HUGO_COUNTERPART: [usize; 7] = [0, 1, 2, 3, 0, 2, 3];

/// One size's sites, all under the benchmark's temporary folder.
struct Sites {
    n: usize,
    dir: PathBuf,
    tessera: PathBuf,
    hugo: PathBuf,
    search: PathBuf,
}

impl Sites {
    fn out(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The article every one-edit rebuild edits, the same on both sides.
    fn article(&self, root: &Path) -> PathBuf {
        root.join(format!("content/news/article-{}.en.md", self.n / 2))
    }
}

fn env_list(name: &str, default: &str) -> Vec<usize> {
    let text = std::env::var(name).unwrap_or_else(|_| default.to_string());
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse().unwrap_or_else(|_| panic!("{name}: `{s}` is not a number")))
        .collect()
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs `cmd` to the end with its output in `log`, and returns its own wall time, CPU time and
/// peak RSS.
#[allow(clippy::zombie_processes)] // reaped by wait4
fn measure(mut cmd: Command, log: &Path) -> Cost {
    let out = File::create(log).unwrap();
    cmd.stdout(out.try_clone().unwrap()).stderr(out);
    let started = Instant::now();
    let child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain integers; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4 rather than Child::wait: it also returns this child's own CPU time and peak RSS.
    loop {
        // SAFETY: pid is our own unreaped child; both pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        assert_eq!(e.kind(), std::io::ErrorKind::Interrupted, "wait4 for {cmd:?}: {e}");
    }
    let wall = started.elapsed();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Cost { wall, cpu: time(usage.ru_utime) + time(usage.ru_stime), peak_rss_kib: usage.ru_maxrss as u64 }
}

fn tessera_build(root: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
    c.arg("build").arg("--root").arg(root).arg("--output").arg(out);
    c
}

/// The same flags for every Hugo build; only the state of the folders differs. Its cache goes
/// into the benchmark's folder so a cold build can remove it and nothing is left behind.
fn hugo_build(sites: &Sites) -> Command {
    let mut c = Command::new("hugo");
    c.arg("--quiet").arg("--source").arg(&sites.hugo).arg("--destination").arg(sites.out("out-hugo"));
    c.arg("--cacheDir").arg(sites.out("hugo-cache"));
    c
}

fn remove(path: &Path) {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("cannot remove {}: {e}", path.display()),
        _ => {}
    }
}

/// Moves a folder (output or cache) into `trash`, which goes with the size's folder once its
/// builds are measured, so the next build is cold. Deleting it here would make that build pay
/// for the deletion: on ext4 the inode allocator passes over every inode freed in the last 30
/// seconds (`recently_deleted`), and after 100,000 files deleted that was over half of the
/// CPU samples of tessera's cold build at 10,000 × 4 (Hugo creates as many files).
fn set_aside(path: &Path, trash: &Path) {
    static SET_ASIDE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SET_ASIDE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::fs::create_dir_all(trash).unwrap();
    match std::fs::rename(path, trash.join(n.to_string())) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("cannot move {} aside: {e}", path.display()),
        _ => {}
    }
}

/// Sets aside a tessera output folder, the previous generation a rebuild keeps beside it and
/// the site's cache, so the next build is cold.
fn set_aside_tessera(root: &Path, out: &Path, trash: &Path) {
    set_aside(&root.join(".tessera-cache"), trash);
    set_aside(out, trash);
    let name = out.file_name().unwrap().to_string_lossy();
    set_aside(&out.with_file_name(format!(".tessera-spare-{name}")), trash);
}

/// Appends `word` to the last paragraph of the article's body.
fn append_word(file: &Path, word: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(file, format!("{} {word}\n", text.trim_end())).unwrap();
}

/// Flushes the previous build's writes and deletions and waits, so no build pays for another's
/// disk work.
fn settle(pause: Duration) {
    let _ = Command::new("sync").status();
    std::thread::sleep(pause);
}

/// Hugo's version line, installing it first if it is missing; None if it cannot be had.
fn hugo_version() -> Option<String> {
    let version = || {
        let out = Command::new("hugo").arg("version").output().ok().filter(|o| o.status.success())?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    version().or_else(|| {
        println!("hugo is missing; installing it with apt-get");
        let _ =
            Command::new("sh").args(["-c", "apt-get install -y hugo || (apt-get update && apt-get install -y hugo)"]).status();
        version()
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 }
}

/// Median wall seconds, CPU seconds and peak RSS in MiB, each taken on its own.
fn medians(costs: &[Cost]) -> (f64, f64, f64) {
    (
        median(costs.iter().map(|c| c.wall.as_secs_f64()).collect()),
        median(costs.iter().map(|c| c.cpu.as_secs_f64()).collect()),
        median(costs.iter().map(|c| c.peak_rss_kib as f64 / 1024.0).collect()),
    )
}

fn cell(costs: &[Cost]) -> String {
    if costs.is_empty() {
        return "–".into();
    }
    let (wall, cpu, rss) = medians(costs);
    format!("{wall:.2} s / {cpu:.2} s / {rss:.0} MiB")
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).count()
}

/// Costs per scenario, [tessera, Hugo].
type Results = Vec<[Vec<Cost>; 2]>;

/// Builds one size `runs` times, tessera and Hugo alternating, and returns every cost.
fn compare(sites: &Sites, runs: usize, pause: Duration, hugo: bool) -> Results {
    let mut results: Results = (0..SCENARIOS.len()).map(|_| [Vec::new(), Vec::new()]).collect();
    let (log, trash) = (sites.out("build.log"), sites.out("set-aside"));
    for run in 1..=runs {
        // Odd runs start with tessera, even ones with Hugo, so neither always comes second.
        let order = if run % 2 == 1 { [Tool::Tessera, Tool::Hugo] } else { [Tool::Hugo, Tool::Tessera] };
        let word = format!("benchedit{run}");
        for (scenario, name) in SCENARIOS.iter().enumerate() {
            let search = scenario >= 4;
            for tool in order {
                if tool == Tool::Hugo && (search || !hugo) {
                    continue;
                }
                let (root, out) = match tool {
                    Tool::Tessera if search => (&sites.search, sites.out("out-search")),
                    Tool::Tessera => (&sites.tessera, sites.out("out-tessera")),
                    Tool::Hugo => (&sites.hugo, sites.out("out-hugo")),
                };
                if name.ends_with("cold") && tool == Tool::Tessera {
                    set_aside_tessera(root, &out, &trash);
                } else if name.ends_with("cold") {
                    set_aside(&out, &trash);
                    set_aside(&root.join("resources"), &trash);
                    set_aside(&sites.out("hugo-cache"), &trash);
                } else if name.ends_with("one-edit rebuild") {
                    append_word(&sites.article(root), &word);
                }
                settle(pause);
                let cmd = if tool == Tool::Hugo { hugo_build(sites) } else { tessera_build(root, &out) };
                let cost = measure(cmd, &log);
                let tool_name = if tool == Tool::Hugo { "hugo" } else { "tessera" };
                println!(
                    "{:>6} × 4  run {run}  {name:<28} {tool_name:<7}  wall {:>8.0} ms  cpu {:>8.0} ms  peak {:>5.0} MiB",
                    sites.n,
                    cost.wall.as_secs_f64() * 1000.0,
                    cost.cpu.as_secs_f64() * 1000.0,
                    cost.peak_rss_kib as f64 / 1024.0
                );
                results[scenario][tool as usize].push(cost);
            }
        }
    }
    println!(
        "files written: tessera {}, hugo {}, tessera with search {}",
        count_files(&sites.out("out-tessera")),
        count_files(&sites.out("out-hugo")),
        count_files(&sites.out("out-search"))
    );
    results
}

fn print_comparison(n: usize, runs: usize, results: &Results) {
    println!("\n### {n} articles × 4 languages (median of {runs})\n");
    println!("| scenario | tessera wall / CPU / peak RSS | Hugo wall / CPU / peak RSS | tessera / Hugo (wall) |");
    println!("| --- | --- | --- | --- |");
    for (scenario, name) in SCENARIOS.iter().enumerate() {
        let tessera = &results[scenario][0];
        let counterpart = HUGO_COUNTERPART[scenario];
        let hugo = &results[counterpart][1];
        let ratio = if hugo.is_empty() { "–".into() } else { format!("{:.2}", medians(tessera).0 / medians(hugo).0) };
        let label = if counterpart == scenario {
            name.to_string()
        } else {
            format!("{name} (Hugo: {}, no search)", SCENARIOS[counterpart])
        };
        println!("| {label} | {} | {} | {ratio} |", cell(tessera), cell(hugo));
    }
    println!();
}

/// Tessera's cold build and no-change rebuild at one size, for the growth table.
fn alone(sites: &Sites, runs: usize, pause: Duration) -> [Vec<Cost>; 2] {
    let (out, log) = (sites.out("out-tessera"), sites.out("build.log"));
    let mut costs = [Vec::new(), Vec::new()];
    for run in 1..=runs {
        for (i, name) in ["cold", "no-change rebuild"].iter().enumerate() {
            if i == 0 {
                set_aside_tessera(&sites.tessera, &out, &sites.out("set-aside"));
            }
            settle(pause);
            let cost = measure(tessera_build(&sites.tessera, &out), &log);
            println!(
                "{:>6} × 4  run {run}  tessera alone, {name:<18} wall {:>8.0} ms",
                sites.n,
                cost.wall.as_secs_f64() * 1000.0
            );
            costs[i].push(cost);
        }
    }
    costs
}

fn main() {
    if let Ok(dir) = std::env::var("GENERATE_ONLY") {
        let n = env_num("ARTICLES", 10_000) as usize;
        sitegen::tessera_site(&Path::new(&dir).join("tessera"), n, false);
        sitegen::hugo_site(&Path::new(&dir).join("hugo"), n);
        return;
    }
    let sizes = env_list("SIZES", "1000,10000");
    let alone_sizes = env_list("ALONE_SIZES", "100,1000,10000");
    let runs = env_num("RUNS", 3) as usize;
    let pause = Duration::from_secs(env_num("PAUSE", 5));
    let hugo = hugo_version();
    println!(
        "{} cores; {}",
        std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1),
        hugo.as_deref().unwrap_or("hugo not available: tessera only")
    );
    if let Some(v) = &hugo
        && !v.contains("v0.111.")
    {
        println!("note: BENCHMARKS.md compares with Hugo 0.111; this is {v}");
    }

    let tmp = tempfile::tempdir().unwrap();
    let sites_of = |n: usize, with_hugo: bool| {
        let dir = tmp.path().join(format!("n{n}"));
        let sites = Sites { n, tessera: dir.join("tessera"), hugo: dir.join("hugo"), search: dir.join("tessera-search"), dir };
        sitegen::tessera_site(&sites.tessera, n, false);
        if with_hugo {
            sitegen::hugo_site(&sites.hugo, n);
            sitegen::tessera_site(&sites.search, n, true);
        }
        sites
    };
    let mut tables = Vec::new();
    let mut growth = Vec::new();
    for &n in &sizes {
        let sites = sites_of(n, true);
        let results = compare(&sites, runs, pause, hugo.is_some());
        print_comparison(n, runs, &results);
        growth.push((n, [results[0][0].clone(), results[1][0].clone()]));
        tables.push((n, results));
        // Each size's sites and outputs go once measured: 10,000 × 4 is ~150,000 files.
        remove(&sites.dir);
    }
    for &n in alone_sizes.iter().filter(|n| !sizes.contains(n)) {
        let sites = sites_of(n, false);
        growth.push((n, alone(&sites, runs, pause)));
        remove(&sites.dir);
    }
    growth.sort_by_key(|(n, _)| *n);

    println!("\n## Summary\n");
    for (n, results) in &tables {
        print_comparison(*n, runs, results);
    }
    println!("### tessera alone (median of {runs})\n");
    println!("| articles × 4 languages | cold build | ms / article | no-change rebuild | ms / article |");
    println!("| --- | --- | --- | --- | --- |");
    for (n, [cold, rebuild]) in growth.iter().filter(|(n, _)| alone_sizes.contains(n)) {
        let (cold, rebuild) = (medians(cold).0, medians(rebuild).0);
        let per = |s: f64| s * 1000.0 / *n as f64;
        println!("| {n} | {cold:.2} s | {:.2} | {rebuild:.2} s | {:.2} |", per(cold), per(rebuild));
    }
}
