use super::encode::widths;
use super::*;

#[test]
fn widths_never_upscale_and_keep_a_small_original() {
    let configured = [480, 800, 1200, 1600];
    assert_eq!(widths(4000, &configured), vec![480, 800, 1200, 1600]);
    assert_eq!(widths(1000, &configured), vec![480, 800, 1000]);
    assert_eq!(widths(300, &configured), vec![300]);
    assert_eq!(widths(800, &configured), vec![480, 800]);
}

const CONFIG: &str = "base_url: https://example.org/net/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n";

fn config() -> SiteConfig {
    crate::yaml::parse(CONFIG, Path::new("site.yaml"), 1).unwrap()
}

fn site_with_png(width: u32, height: u32) -> (tempfile::TempDir, Images) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    let image = image::RgbaImage::from_fn(width, height, |x, _| image::Rgba([(x % 256) as u8, 10, 200, 128]));
    image.save(dir.path().join("static/logo.png")).unwrap();
    let images = Images::new(dir.path(), &config());
    (dir, images)
}

#[test]
fn a_png_keeps_its_alpha_and_gets_webp_variants_under_the_base_path() {
    let (dir, images) = site_with_png(900, 300);
    let file = images.locate("/net/logo.png", Path::new("content/news")).expect("found in static/");
    let processed = images.get(&file).unwrap();
    assert_eq!((processed.width, processed.height), (900, 300));
    let widths: Vec<(u32, Format)> = processed.variants.iter().map(|v| (v.width, v.format)).collect();
    // Configured widths below 900, then 900 itself, each as WebP and PNG.
    assert_eq!(widths.len(), 6, "{widths:?}");
    assert!(processed.srcset(Format::Png).contains("/net/processed_images/logo."), "{}", processed.srcset(Format::Png));
    let html = processed.picture("Logo", "100vw", None, false);
    assert!(html.contains(r#"<source type="image/webp""#) && html.contains(r#"width="900" height="300""#), "{html}");
    let png = images.files().into_iter().find(|(p, _)| p.ends_with(".900.png")).unwrap().1;
    assert!(image::open(png).unwrap().color().has_alpha());
    assert_eq!(images.stats(), Stats { processed: 1, cached: 0 });

    let again = Images::new(dir.path(), &config());
    again.get(&file).unwrap();
    assert_eq!(again.stats(), Stats { processed: 0, cached: 1 });
}

#[test]
fn references_outside_the_site_or_to_other_sites_are_not_located() {
    let (_dir, images) = site_with_png(10, 10);
    assert!(images.locate("https://example.org/x.png", Path::new("content")).is_none());
    assert!(images.locate("../../etc/passwd", Path::new("content")).is_none());
    assert!(images.locate("missing.png", Path::new("content")).is_none());
}
