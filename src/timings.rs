//! Stage timings for profiling a build: with `TESSERA_TIMINGS` set, each mark prints the
//! seconds since the process started and the stage that just ended, on stderr.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("TESSERA_TIMINGS").map(|_| Instant::now()))
}

/// Starts the clock (the first mark starts it otherwise).
pub fn begin() {
    start();
}

/// Prints `stage` with the time since [`begin`] and the process's memory (resident now, and
/// at most so far), when timings are asked for.
pub fn mark(stage: &str) {
    if let Some(start) = start() {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let mib = |key: &str| {
            let line = status.lines().find(|l| l.starts_with(key)).unwrap_or_default();
            line.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()).map_or(0, |kb| kb / 1024)
        };
        eprintln!("{:8.3} s {:6} MiB {:6} MiB peak  {stage}", start.elapsed().as_secs_f64(), mib("VmRSS:"), mib("VmHWM:"));
    }
}
