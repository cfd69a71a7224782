//! Image processing, tessera and Hugo side by side in one run: the same N phone-sized photos
//! (2400×1600 JPEG, one per article bundle) resized to 480/800/1200/1600 px as WebP and JPEG
//! (quality 80) by both, alternating runs. Reports the median wall time of a cold build (no
//! image cache), images per second, and a build with the cache full (nothing to process). Run:
//! `cargo bench --bench images` (IMAGES=40, RUNS=3 by default; needs `hugo` on PATH:
//! `apt-get install hugo`). Figures are recorded in BENCHMARKS.md.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

/// A photo-like JPEG: smooth gradients with per-pixel noise, so encoders work as on real photos.
fn photo(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let image = image::RgbImage::from_fn(2400, 1600, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as i32 - 12;
        let c = |v: u32| (v as i32 + noise).clamp(0, 255) as u8;
        image::Rgb([c((x / 10 + seed * 40) % 256), c((y / 7) % 256), c(((x + y) / 16) % 256)])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 88))
        .unwrap();
    jpeg
}

fn tessera_site(root: &Path, photos: &[Vec<u8>]) {
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "base_url: https://example.org/\ntitle: Images\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\nsearch: false\nimages: {widths: [480, 800, 1200, 1600], quality: 80}\n",
    )
    .unwrap();
    let page = "<!doctype html><html lang=\"en\"><title>{{ page.title }}</title>{{ page.content | safe }}</html>";
    std::fs::write(root.join("templates/page.html"), page).unwrap();
    let list = "<!doctype html><html lang=\"en\"><title>{{ section.title }}</title></html>";
    for name in ["index.html", "section.html"] {
        std::fs::write(root.join("templates").join(name), list).unwrap();
    }
    std::fs::write(root.join("templates/404.html"), "<!doctype html><html lang=\"en\"><title>Not found</title></html>").unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/_index.en.md"), "---\ntitle: Home\n---\n").unwrap();
    for (i, bytes) in photos.iter().enumerate() {
        let dir = root.join(format!("content/news/photo-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("photo.jpg"), bytes).unwrap();
        std::fs::write(dir.join("index.en.md"), format!("---\ntitle: Photo {i}\n---\n![Photo {i}](photo.jpg)\n")).unwrap();
    }
    std::fs::write(root.join("content/news/_index.en.md"), "---\ntitle: News\n---\n").unwrap();
}

fn hugo_site(root: &Path, photos: &[Vec<u8>]) {
    std::fs::create_dir_all(root.join("layouts/_default")).unwrap();
    std::fs::write(
        root.join("hugo.toml"),
        "baseURL = 'https://example.org/'\ntitle = 'Images'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT']\n[imaging]\nquality = 80\nresampleFilter = 'Lanczos'\n",
    )
    .unwrap();
    let widths: Vec<String> = WIDTHS.iter().map(u32::to_string).collect();
    let single = format!(
        "<!doctype html><html lang=\"en\"><title>{{{{ .Title }}}}</title>{{{{ with .Resources.GetMatch \"photo.jpg\" }}}}{{{{ $img := . }}}}<picture>{{{{ range slice {} }}}}{{{{ $w := printf \"%dx\" . }}}}<source srcset=\"{{{{ ($img.Resize (printf \"%s webp\" $w)).RelPermalink }}}}\"><img src=\"{{{{ ($img.Resize $w).RelPermalink }}}}\">{{{{ end }}}}</picture>{{{{ end }}}}</html>",
        widths.join(" ")
    );
    std::fs::write(root.join("layouts/_default/single.html"), single).unwrap();
    std::fs::write(root.join("layouts/_default/list.html"), "<!doctype html><title>{{ .Title }}</title>").unwrap();
    for (i, bytes) in photos.iter().enumerate() {
        let dir = root.join(format!("content/news/photo-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("photo.jpg"), bytes).unwrap();
        std::fs::write(dir.join("index.md"), format!("---\ntitle: Photo {i}\n---\nPhoto {i}\n")).unwrap();
    }
}

fn time(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let n: u32 = std::env::var("IMAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let photos: Vec<Vec<u8>> = (0..n).map(photo).collect();
    let tmp = tempfile::tempdir().unwrap();
    let (ts, hs) = (tmp.path().join("tessera"), tmp.path().join("hugo"));
    tessera_site(&ts, &photos);
    hugo_site(&hs, &photos);
    let tessera = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
        c.args(["build", "--root"]).arg(&ts).arg("--output").arg(ts.join("public"));
        c
    };
    let hugo = || {
        let mut c = Command::new("hugo");
        c.args(["--quiet", "--source"]).arg(&hs);
        c
    };
    let (mut t_cold, mut t_warm, mut h_cold, mut h_warm) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(ts.join(".tessera-cache"));
        let _ = std::fs::remove_dir_all(ts.join("public"));
        t_cold.push(time(tessera()));
        t_warm.push(time(tessera()));
        let _ = std::fs::remove_dir_all(hs.join("resources"));
        let _ = std::fs::remove_dir_all(hs.join("public"));
        h_cold.push(time(hugo()));
        h_warm.push(time(hugo()));
    }
    let count = |dir: &Path, ext: &str| {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == ext))
            .count()
    };
    println!(
        "{n} photos 2400x1600, widths {WIDTHS:?}, WebP + JPEG; files written: tessera {} webp {} jpg (+{n} originals), hugo {} webp {} jpg",
        count(&ts.join("public/processed_images"), "webp"),
        count(&ts.join("public/processed_images"), "jpg"),
        count(&hs.join("public"), "webp"),
        count(&hs.join("public"), "jpg"),
    );
    let (tc, tw, hc, hw) = (median(t_cold), median(t_warm), median(h_cold), median(h_warm));
    let per_second = |d: Duration| f64::from(n) / d.as_secs_f64();
    println!("| median of {runs} | tessera | Hugo | tessera / Hugo |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| cold build, no image cache | {:.2} s ({:.1} images/s) | {:.2} s ({:.1} images/s) | {:.2} |",
        tc.as_secs_f64(),
        per_second(tc),
        hc.as_secs_f64(),
        per_second(hc),
        tc.as_secs_f64() / hc.as_secs_f64()
    );
    println!(
        "| build again, every image cached | {:.3} s | {:.3} s | {:.2} |",
        tw.as_secs_f64(),
        hw.as_secs_f64(),
        tw.as_secs_f64() / hw.as_secs_f64()
    );
}
