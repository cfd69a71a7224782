//! Full build of the same multilingual site (N articles in en, hi, az, ar) by tessera and by
//! Hugo, side by side in one run: same content, equivalent templates (page, paginated lists,
//! taxonomy), neither building a search index; then tessera once more with its search index. Run: `cargo bench --bench build_vs_hugo` (ARTICLES=10000 by
//! default; needs `hugo` on PATH: `apt-get install hugo`). Figures are recorded in BENCHMARKS.md.

mod sitegen;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn time(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{:?} failed: {}{}",
        cmd,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).count()
}

fn main() {
    let n: usize = std::env::var("ARTICLES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    if let Ok(dir) = std::env::var("GENERATE_ONLY") {
        // Writes the two sites into DIR/tessera and DIR/hugo for profiling, then stops.
        sitegen::tessera_site(&Path::new(&dir).join("tessera"), n, false);
        sitegen::hugo_site(&Path::new(&dir).join("hugo"), n);
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (ts, hs) = (tmp.path().join("tessera"), tmp.path().join("hugo"));
    sitegen::tessera_site(&ts, n, false);
    sitegen::hugo_site(&hs, n);
    let with_search = tmp.path().join("tessera-search");
    sitegen::tessera_site(&with_search, n, true);
    let tessera = env!("CARGO_BIN_EXE_tessera");
    let hugo_version =
        Command::new("hugo").arg("version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    println!(
        "{n} articles x 4 languages = {} pages; {} cores",
        n * 4,
        std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1)
    );
    // The file system is still busy with the previous run's deletions for a while; let it settle
    // so neither tool pays for the other's work.
    let pause = Duration::from_secs(std::env::var("PAUSE").ok().and_then(|v| v.parse().ok()).unwrap_or(15));
    let mut t_all = Vec::new();
    let mut h_all = Vec::new();
    for run in 1..=runs {
        std::thread::sleep(pause);
        let mut c = Command::new(tessera);
        c.args(["build", "--root", ts.to_str().unwrap(), "--output", tmp.path().join("out-tessera").to_str().unwrap()]);
        let t = time(c);
        t_all.push(t);
        std::thread::sleep(pause);
        let h = match &hugo_version {
            Ok(_) => {
                let mut c = Command::new("hugo");
                c.args([
                    "--quiet",
                    "--source",
                    hs.to_str().unwrap(),
                    "--destination",
                    tmp.path().join("out-hugo").to_str().unwrap(),
                    "--cleanDestinationDir",
                ]);
                let h = time(c);
                h_all.push(h);
                Some(h)
            }
            Err(_) => None,
        };
        println!(
            "run {run}: tessera {:>8.0} ms   hugo {}",
            t.as_secs_f64() * 1000.0,
            h.map(|h| format!("{:>8.0} ms", h.as_secs_f64() * 1000.0)).unwrap_or_else(|| "not installed".into())
        );
    }
    println!(
        "tessera wrote {} files, hugo {} files",
        count_files(&tmp.path().join("out-tessera")),
        count_files(&tmp.path().join("out-hugo"))
    );
    // Rendering only, nothing written: separates the generators' own work from the file
    // system's (creating and deleting ~48,000 files and folders dominates, and varies, on disks
    // that have just deleted as many).
    let mut t_mem = Vec::new();
    let mut h_mem = Vec::new();
    if hugo_version.is_ok() {
        for run in 1..=runs {
            let mut c = Command::new(tessera);
            c.args(["check", "--root", ts.to_str().unwrap()]);
            let t = time(c);
            let mut c = Command::new("hugo");
            c.args(["--quiet", "--renderToMemory", "--source", hs.to_str().unwrap()]);
            let h = time(c);
            println!(
                "in memory, run {run}: tessera check {:>8.0} ms   hugo --renderToMemory {:>8.0} ms",
                t.as_secs_f64() * 1000.0,
                h.as_secs_f64() * 1000.0
            );
            t_mem.push(t);
            h_mem.push(h);
        }
    }
    // The same site with the Pagefind search index, which Hugo does not build.
    let mut c = Command::new(tessera);
    c.args(["build", "--root", with_search.to_str().unwrap(), "--output", tmp.path().join("out-search").to_str().unwrap()]);
    let s = time(c);
    println!(
        "tessera with the search index: {:.0} ms ({} files)",
        s.as_secs_f64() * 1000.0,
        count_files(&tmp.path().join("out-search"))
    );
    let median = |v: &mut Vec<Duration>| -> Duration {
        v.sort();
        v[v.len() / 2]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let t_median = median(&mut t_all);
    match hugo_version {
        Ok(v) => {
            let h_median = median(&mut h_all);
            println!(
                "median of {runs}: tessera {:.0} ms, hugo {:.0} ms ({v}); tessera/hugo = {:.2} (best: {:.0} vs {:.0} ms = {:.2})",
                ms(t_median),
                ms(h_median),
                ms(t_median) / ms(h_median),
                ms(t_all[0]),
                ms(h_all[0]),
                ms(t_all[0]) / ms(h_all[0])
            );
        }
        Err(_) => println!("median of {runs}: tessera {:.0} ms; hugo not installed", ms(t_median)),
    }
    if !h_mem.is_empty() {
        let (t, h) = (median(&mut t_mem), median(&mut h_mem));
        println!(
            "in memory, median of {runs}: tessera {:.0} ms, hugo {:.0} ms; tessera/hugo = {:.2}",
            ms(t),
            ms(h),
            ms(t) / ms(h)
        );
    }
}
