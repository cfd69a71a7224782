//! Images and media, read from built sites: a phone photo (4:3 landscape pixels turned upright
//! by its EXIF orientation, with GPS tags) in a page bundle is resized to every configured
//! width as WebP and JPEG with no metadata left, shown with srcset/sizes/width/height on the
//! article, on the listing (card and summary) and in the feed with absolute URLs, and a second
//! build processes nothing. Shortcodes: figure, video, document, quote; errors with file:line.

mod common;
use common::{stderr, tessera};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

/// A 2400×1800 JPEG whose top-left quarter is red, with EXIF orientation 6 (rotate 90° clockwise
/// to show) and a GPS position, as phones write them.
fn phone_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(2400, 1800, |x, y| {
        if x < 1200 && y < 900 { image::Rgb([220, 20, 20]) } else { image::Rgb([20, (x % 200) as u8, 120 + (y % 100) as u8]) }
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90))
        .unwrap();
    // TIFF (big-endian): IFD0 with Orientation = 6 and a pointer to the GPS IFD, which holds
    // GPSLatitudeRef = N and GPSLatitude = 36° 48' 36".
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend(kind.to_be_bytes());
        e.extend(count.to_be_bytes());
        e.extend(value);
        e
    };
    tiff.extend(2u16.to_be_bytes());
    tiff.extend(entry(0x0112, 3, 1, [0, 6, 0, 0]));
    tiff.extend(entry(0x8825, 4, 1, 38u32.to_be_bytes()));
    tiff.extend(0u32.to_be_bytes());
    assert_eq!(tiff.len(), 38);
    tiff.extend(2u16.to_be_bytes());
    tiff.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
    tiff.extend(entry(0x0002, 5, 3, 68u32.to_be_bytes()));
    tiff.extend(0u32.to_be_bytes());
    assert_eq!(tiff.len(), 68);
    for (n, d) in [(36u32, 1u32), (48, 1), (3600, 100)] {
        tiff.extend(n.to_be_bytes());
        tiff.extend(d.to_be_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

const ARTICLE_EN: &str = "---
title: Field visit to the olive cooperative
date: 2025-03-02
image: photo.jpg
extra:
  image_alt: Members of the cooperative at the press
---
Partners met the cooperative at its press. ![Members at the olive press](photo.jpg)

{{ figure(src=\"photo.jpg\", alt=\"The olive press\", caption=\"The new press\", credit=\"Amina K.\", licence=\"CC BY 4.0\") }}

{{ video(id=\"dQw4w9WgXcQ\", title=\"The cooperative's film\") }}

{{ document(src=\"report.pdf\", title=\"Visit report\") }}

{% quote(by=\"Leila M.\", role=\"chair\") %}
We press *together*.
{% end %}

Read the [report](report.pdf).
";

const ARTICLE_AR: &str = "---
title: زيارة ميدانية لتعاونية الزيتون
date: 2025-03-02
image: photo.jpg
---
التقى الشركاء بالتعاونية في معصرتها.

{{ figure(src=\"photo.jpg\", alt=\"معصرة الزيتون\", caption=\"المعصرة الجديدة\", credit=\"أمينة ك.\") }}

{{ youtube(id=\"dQw4w9WgXcQ\") }}

{{ vimeo(id=\"76979871\") }}
";

/// A new two-language site (the bundled theme) with the article bundle `news/field-visit/`.
pub fn media_site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    let created = tessera(&["new", root.to_str().unwrap(), "--languages", "en,ar"]);
    assert!(created.status.success(), "{}", stderr(&created));
    let bundle = root.join("content/news/field-visit");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(bundle.join("index.en.md"), ARTICLE_EN).unwrap();
    std::fs::write(bundle.join("index.ar.md"), ARTICLE_AR).unwrap();
    std::fs::write(bundle.join("photo.jpg"), phone_photo()).unwrap();
    std::fs::write(bundle.join("report.pdf"), vec![b'%'; 2_345_678]).unwrap();
    root
}

fn build(root: &Path, out: &Path) -> String {
    let result = tessera(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", stderr(&result));
    String::from_utf8_lossy(&result.stdout).into_owned()
}

fn doc(path: &Path) -> Html {
    Html::parse_document(&common::read(path))
}

fn attrs(doc: &Html, selector: &str, name: &str) -> Vec<String> {
    doc.select(&Selector::parse(selector).unwrap()).filter_map(|e| e.value().attr(name)).map(str::to_string).collect()
}

#[test]
fn a_phone_photo_is_resized_upright_without_metadata_everywhere_it_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let root = media_site(tmp.path());
    let out = tmp.path().join("public");
    let first = build(&root, &out);
    assert!(first.contains("images: 1 processed, 0 from the cache"), "{first}");

    // Every configured width below the upright photo's 1800 pixels, as WebP and JPEG, upright
    // (3:4), with no EXIF or GPS left.
    let mut written: Vec<(u32, String)> = Vec::new();
    for entry in std::fs::read_dir(out.join("processed_images")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(4).any(|w| w.eq_ignore_ascii_case(b"exif")), "{} keeps EXIF", path.display());
        let decoded = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let ratio = f64::from(decoded.height()) / f64::from(decoded.width());
        assert!((ratio - 4.0 / 3.0).abs() < 0.01, "{} is not upright 3:4", path.display());
        // Rotated 90° clockwise: the red quarter is now top right.
        let (w, _) = decoded.dimensions();
        assert!(decoded.get_pixel(w - 5, 5)[0] > 150 && decoded.get_pixel(5, 5)[0] < 100, "{} not oriented", path.display());
        written.push((w, path.extension().unwrap().to_string_lossy().into_owned()));
    }
    written.sort();
    let expected: Vec<(u32, String)> =
        [480, 800, 1200, 1600].iter().flat_map(|&w| [(w, "jpg".to_string()), (w, "webp".to_string())]).collect();
    assert_eq!(written, expected);

    // The article: hero, Markdown image and figure as <picture> with WebP and JPEG srcsets.
    let article = doc(&out.join("news/field-visit/index.html"));
    let imgs = attrs(&article, ".prose img", "srcset");
    assert_eq!(imgs.len(), 2, "Markdown image and figure");
    for srcset in &imgs {
        assert_eq!(srcset.matches(".jpg ").count(), 4, "{srcset}");
        assert!(srcset.contains(" 480w") && srcset.contains(" 1600w"), "{srcset}");
    }
    assert_eq!(attrs(&article, ".prose picture source[type=\"image/webp\"]", "srcset").len(), 2);
    assert_eq!(attrs(&article, ".prose img", "width"), ["1600", "1600"]);
    assert_eq!(attrs(&article, ".prose img", "height"), ["2133", "2133"]);
    assert_eq!(
        attrs(&article, ".prose img[loading=\"lazy\"][decoding=\"async\"][sizes]", "alt"),
        ["Members at the olive press", "The olive press"]
    );
    assert_eq!(attrs(&article, ".article__hero img", "alt"), ["Members of the cooperative at the press"]);
    let og = attrs(&article, "meta[property=\"og:image\"]", "content");
    assert!(
        og.len() == 1 && og[0].starts_with("https://example.org/processed_images/photo.") && og[0].ends_with(".1600.jpg"),
        "{og:?}"
    );
    assert_eq!(attrs(&article, "meta[name=\"twitter:image\"]", "content"), og);
    let jsonld: serde_json::Value = serde_json::from_str(
        &article.select(&Selector::parse("script[type=\"application/ld+json\"]").unwrap()).next().unwrap().inner_html(),
    )
    .unwrap();
    assert_eq!(jsonld["image"][0], og[0].as_str());
    // The bundle's own files are linked from the root, so the link works off the page too.
    assert!(attrs(&article, ".prose a", "href").contains(&"/news/field-visit/report.pdf".to_string()));
    assert!(out.join("news/field-visit/report.pdf").is_file());
    // The original, published in the bundle, keeps its pixels and orientation but not its GPS.
    let original = std::fs::read(out.join("news/field-visit/photo.jpg")).unwrap();
    assert!(!original.windows(2).any(|w| w == [0x88, 0x25]), "the GPS pointer is still there");
    assert!(original.windows(10).any(|w| w == b"\x01\x12\0\x03\0\0\0\x01\0\x06"), "orientation 6 kept");
    let pixels = |b: &[u8]| image::load_from_memory(b).unwrap().to_rgb8().into_raw();
    assert!(pixels(&original) == pixels(&phone_photo()), "the pixels changed");

    // The listing: a card image and the summary's picture, both resolving.
    let listing = doc(&out.join("news/index.html"));
    let card = attrs(&listing, ".card__image img", "srcset");
    assert!(card.len() == 1 && card[0].contains(" 800w"), "{card:?}");
    let summary = attrs(&listing, ".card__summary img", "src");
    assert_eq!(summary.len(), 1);
    assert!(out.join(summary[0].trim_start_matches('/')).is_file(), "{summary:?}");

    // The feed: absolute URLs for the images and the report.
    let feed = common::read(out.join("atom.xml"));
    let feed = roxmltree::Document::parse(&feed).unwrap();
    let content = feed.descendants().find(|n| n.has_tag_name("content")).unwrap().text().unwrap().to_string();
    assert!(content.contains("src=\"https://example.org/processed_images/photo."), "{content}");
    assert!(content.contains("srcset=\"https://example.org/processed_images/"), "{content}");
    assert!(content.contains("href=\"https://example.org/news/field-visit/report.pdf\""), "{content}");

    assert!(common::crawl::broken_links(&out, "https://example.org/").is_empty());

    // A second build into the same folder does no image work.
    let second = build(&root, &out);
    assert!(second.contains("images: 0 processed, 1 from the cache"), "{second}");
}

#[test]
fn shortcodes_render_in_the_page_language() {
    let tmp = tempfile::tempdir().unwrap();
    let root = media_site(tmp.path());
    let out = tmp.path().join("public");
    build(&root, &out);
    let en = doc(&out.join("news/field-visit/index.html"));
    let text =
        |d: &Html, s: &str| d.select(&Selector::parse(s).unwrap()).map(|e| e.text().collect::<String>()).collect::<Vec<_>>();
    assert_eq!(text(&en, ".figure figcaption"), ["The new press Image: Amina K. (CC BY 4.0)"]);
    assert_eq!(attrs(&en, ".video", "data-embed"), ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"]);
    assert!(en.select(&Selector::parse("iframe").unwrap()).next().is_none(), "no player before the click");
    assert_eq!(text(&en, ".video__play"), ["Play video"]);
    assert_eq!(text(&en, ".document__meta"), ["(PDF, 2.3 MB)"]);
    assert_eq!(attrs(&en, ".document a", "href"), ["/news/field-visit/report.pdf"]);
    assert_eq!(text(&en, ".quote blockquote"), ["We press together.\n"]);
    assert_eq!(text(&en, ".quote__by"), ["Leila M., chair"]);

    let ar = doc(&out.join("ar/news/field-visit/index.html"));
    assert_eq!(text(&ar, ".figure__credit"), ["الصورة: أمينة ك."]);
    assert_eq!(text(&ar, ".video__play"), ["تشغيل الفيديو", "تشغيل الفيديو"]);
    assert_eq!(attrs(&ar, ".video", "data-embed")[1], "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1");
    assert!(text(&ar, ".video__notice")[0].contains("YouTube"));
}

#[test]
fn shortcode_and_image_errors_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let root = media_site(tmp.path());
    let page = root.join("content/news/field-visit/index.en.md");
    let text = common::read(&page)
        .replace("alt=\"The olive press\", ", "")
        .replace("{{ document(", "{{ brochure(")
        .replace("Read the [report]", "![Missing](nowhere.jpg) Read the [report]");
    std::fs::write(&page, text).unwrap();
    let ar = root.join("content/news/field-visit/index.ar.md");
    std::fs::write(&ar, common::read(&ar).replace("image: photo.jpg", "image: broken.png")).unwrap();
    std::fs::write(root.join("content/news/field-visit/broken.png"), b"not a PNG").unwrap();
    for command in ["check", "build"] {
        let result = tessera(&[command, "--root", root.to_str().unwrap()]);
        assert!(!result.status.success());
        let errors = stderr(&result);
        let file = "content/news/field-visit/index.en.md";
        assert!(errors.contains(&format!("{file}:10:")) && errors.contains("shortcode `figure` needs `alt`"), "{errors}");
        assert!(errors.contains(&format!("{file}:14:")) && errors.contains("unknown shortcode `brochure`"), "{errors}");
        assert!(errors.contains(&format!("{file}:20:")) && errors.contains("image `nowhere.jpg` not found"), "{errors}");
        assert!(errors.contains("content/news/field-visit/index.ar.md:4:1: error: `image: broken.png`: "), "{errors}");
    }
}

/// `tessera serve --watch` serves the resized images, and an image added to a page while it is
/// served is resized and served after the edit.
#[test]
fn the_dev_server_serves_resized_images_and_picks_up_a_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = media_site(tmp.path());
    let server = common::server::Server::start(&root, &["--watch"]);
    let first_image = |html: &str, stem: &str| -> Option<String> {
        let start = html.find(&format!("/processed_images/{stem}."))?;
        Some(html[start..start + html[start..].find([' ', '"'])?].to_string())
    };
    let page = server.get("/news/field-visit/").text();
    let resized = first_image(&page, "photo").expect("a resized image on the page");
    let response = server.get(&resized);
    let kind = if resized.ends_with(".webp") { "image/webp" } else { "image/jpeg" };
    assert_eq!((response.status, response.header("content-type")), (200, Some(kind)), "{resized}");

    let chart = image::RgbImage::from_fn(1000, 500, |x, _| image::Rgb([(x % 256) as u8, 90, 40]));
    chart.save(root.join("content/news/field-visit/chart.png")).unwrap();
    let md = root.join("content/news/field-visit/index.en.md");
    std::fs::write(&md, common::read(&md).replace("Read the [report]", "![Members by year](chart.png)\n\nRead the [report]"))
        .unwrap();
    let started = std::time::Instant::now();
    let url = loop {
        if let Some(url) = first_image(&server.get("/news/field-visit/").text(), "chart") {
            break url;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the new image never showed: {}", server.log_text());
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(server.get(&url).status, 200, "{url}");
}

/// The images templates ask for (`resize_image`) are only known by rendering: after a body edit,
/// a site whose templates resize images is rendered whole, and the image the 404 page shows
/// (an output the edit does not touch) is still published.
#[test]
fn a_rebuild_keeps_the_images_templates_ask_for() {
    let tmp = tempfile::tempdir().unwrap();
    let root = media_site(tmp.path());
    let out = tmp.path().join("public");
    let template = root.join("themes/network/templates/404.html");
    let text = common::read(&template).replace(
        "<div class=\"wrap not-found\">",
        "<div class=\"wrap not-found\">{% set lost = resize_image(path=\"news/field-visit/photo.jpg\", width=400) %}<img class=\"lost\" src=\"{{ lost.url }}\" alt=\"\">",
    );
    std::fs::write(&template, text).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(&root, &out);
    let shown = || attrs(&doc(&out.join("404.html")), "img.lost", "src");
    let src = shown().pop().expect("the 404 page shows the resized image");
    assert!(out.join(src.trim_start_matches('/')).is_file(), "{src}");

    let article = root.join("content/news/field-visit/index.en.md");
    std::fs::write(&article, common::read(&article) + "\nOne more sentence.\n").unwrap();
    let second = build(&root, &out);
    assert!(!second.contains("rendered again"), "{second}");
    assert_eq!(shown(), std::slice::from_ref(&src));
    assert!(out.join(src.trim_start_matches('/')).is_file(), "{src} is gone after the rebuild");
}

/// A rebuild after an edit to another page renders the Markdown of a page that shows a photo
/// again (nothing else shows that page): its images stay published, as a first build publishes
/// them.
#[test]
fn a_rebuild_after_another_page_edit_keeps_the_images_pages_show() {
    let tmp = tempfile::tempdir().unwrap();
    let root = media_site(tmp.path());
    let out = tmp.path().join("public");
    // A page of a section without articles: in no feed, and in no listing a news edit renders.
    let gallery = root.join("content/gallery");
    std::fs::create_dir_all(&gallery).unwrap();
    let chart = image::RgbImage::from_fn(900, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 200]));
    chart.save(gallery.join("chart.png")).unwrap();
    std::fs::write(gallery.join("_index.en.md"), "---\ntitle: Gallery\narticles: false\n---\n").unwrap();
    std::fs::write(gallery.join("chart.en.md"), "---\ntitle: Chart\n---\n![The chart](chart.png)\n").unwrap();
    let other = root.join("content/news/plain.en.md");
    std::fs::write(&other, "---\ntitle: Plain news\ndate: 2025-01-05\n---\nNo pictures here.\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(&root, &out);
    let images = || common::snapshot(&out.join(tessera::images::OUTPUT_DIR));
    let published = images();
    assert!(published.iter().any(|(p, _)| p.starts_with("chart.")), "{:?}", published.iter().map(|(p, _)| p).collect::<Vec<_>>());

    std::fs::write(&other, common::read(&other) + "\nStill no pictures.\n").unwrap();
    let second = build(&root, &out);
    assert!(second.contains("rendered again"), "{second}");
    assert!(images() == published, "the images differ after the rebuild");
    assert!(common::read(out.join("news/plain/index.html")).contains("Still no pictures."));
}
