//! Full build of the same multilingual site (N articles in en, hi, az, ar) by tessera and by
//! Hugo, side by side in one run. Run: `cargo bench --bench build_vs_hugo` (ARTICLES=10000 by
//! default; needs `hugo` on PATH: `apt-get install hugo`). Figures are recorded in BENCHMARKS.md.

mod sitegen;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn time(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let out = cmd.output().expect("run");
    assert!(out.status.success(), "{:?} failed: {}{}", cmd, String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
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
        sitegen::tessera_site(&Path::new(&dir).join("tessera"), n);
        sitegen::hugo_site(&Path::new(&dir).join("hugo"), n);
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (ts, hs) = (tmp.path().join("tessera"), tmp.path().join("hugo"));
    sitegen::tessera_site(&ts, n);
    sitegen::hugo_site(&hs, n);
    let tessera = env!("CARGO_BIN_EXE_tessera");
    let hugo_version = Command::new("hugo").arg("version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    println!("{n} articles x 4 languages = {} pages; {} cores", n * 4, std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1));
    let mut t_best = Duration::MAX;
    let mut h_best = Duration::MAX;
    for run in 1..=runs {
        let mut c = Command::new(tessera);
        c.args(["build", "--root", ts.to_str().unwrap(), "--output", tmp.path().join("out-tessera").to_str().unwrap()]);
        let t = time(c);
        t_best = t_best.min(t);
        let h = match &hugo_version {
            Ok(_) => {
                let mut c = Command::new("hugo");
                c.args(["--quiet", "--source", hs.to_str().unwrap(), "--destination", tmp.path().join("out-hugo").to_str().unwrap(), "--cleanDestinationDir"]);
                let h = time(c);
                h_best = h_best.min(h);
                Some(h)
            }
            Err(_) => None,
        };
        println!("run {run}: tessera {:>8.0} ms   hugo {}", t.as_secs_f64() * 1000.0, h.map(|h| format!("{:>8.0} ms", h.as_secs_f64() * 1000.0)).unwrap_or_else(|| "not installed".into()));
    }
    println!("tessera wrote {} files, hugo {} files", count_files(&tmp.path().join("out-tessera")), count_files(&tmp.path().join("out-hugo")));
    match hugo_version {
        Ok(v) => println!("best of {runs}: tessera {:.0} ms, hugo {:.0} ms ({v}); tessera/hugo = {:.2}", t_best.as_secs_f64() * 1000.0, h_best.as_secs_f64() * 1000.0, t_best.as_secs_f64() / h_best.as_secs_f64()),
        Err(_) => println!("best of {runs}: tessera {:.0} ms; hugo not installed", t_best.as_secs_f64() * 1000.0),
    }
}
