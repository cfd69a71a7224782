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

/// Prints `stage` with the time since [`begin`], when timings are asked for.
pub fn mark(stage: &str) {
    if let Some(start) = start() {
        eprintln!("{:8.3} s  {stage}", start.elapsed().as_secs_f64());
    }
}
