//! Test-only fault injection for the output stage, inert unless its variables are set. The
//! fault tests (`tests/faults.rs`) use them; nobody else should:
//! - `TESSERA_TEST_SWAP_DELAY_MS=N`: print `tessera-test: <step>` on stderr after each step of
//!   replacing the output (`writing`, `staged`, `swapped`, `removed`) and sleep N ms, so a test can kill
//!   the build in between.
//! - `TESSERA_TEST_FAIL_WRITE_AFTER_BYTES=N`: writing the new site fails with "no space left on
//!   device" once N bytes were written, like a full disk.

use std::sync::atomic::{AtomicU64, Ordering};

/// Announces a step of the swap and pauses, when `TESSERA_TEST_SWAP_DELAY_MS` is set.
pub fn step(name: &str) {
    let Some(ms) = std::env::var("TESSERA_TEST_SWAP_DELAY_MS").ok().and_then(|v| v.parse::<u64>().ok()) else { return };
    eprintln!("tessera-test: {name}");
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

/// How many bytes may still be written before the simulated disk is full (`None`: no limit).
pub struct DiskBudget(Option<AtomicU64>);

impl DiskBudget {
    pub fn from_env() -> DiskBudget {
        DiskBudget(std::env::var("TESSERA_TEST_FAIL_WRITE_AFTER_BYTES").ok().and_then(|v| v.parse().ok()).map(AtomicU64::new))
    }

    /// Takes `bytes` from the budget; fails like a full disk when there are not that many left.
    pub fn take(&self, bytes: u64) -> std::io::Result<()> {
        let Some(left) = &self.0 else { return Ok(()) };
        match left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| l.checked_sub(bytes)) {
            Ok(_) => Ok(()),
            #[cfg(unix)]
            Err(_) => Err(std::io::Error::from_raw_os_error(libc::ENOSPC)),
            #[cfg(not(unix))]
            Err(_) => Err(std::io::Error::from(std::io::ErrorKind::StorageFull)),
        }
    }
}
