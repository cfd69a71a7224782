//! Decoding, orienting, resizing and encoding one image into the cache.

use super::{Cached, Format, INDEX_FILE};
use crate::config::ImagesConfig;
use fast_image_resize::{ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;
use std::io::Cursor;
use std::path::Path;

/// Decodes `bytes`, applies the EXIF orientation, writes every width into `dir` as WebP and in
/// `format`, then the index that makes `dir` a cache hit. Encoders write pixels only: no EXIF,
/// GPS or other metadata reaches the files.
pub(super) fn all(bytes: &[u8], format: Format, config: &ImagesConfig, dir: &Path) -> Result<Vec<Cached>, String> {
    let image = decode(bytes)?;
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 {
        return Err("the image is empty".into());
    }
    let image = if image.color().has_alpha() && format != Format::Jpeg {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create the image cache {}: {e}", dir.display()))?;
    let formats: &[Format] = if format == Format::Webp { &[Format::Webp] } else { &[Format::Webp, format] };
    let jobs: Vec<(u32, Format)> =
        widths(width, &config.widths).into_iter().flat_map(|w| formats.iter().map(move |&f| (w, f))).collect();
    let variants = jobs
        .par_iter()
        .map(|&(w, f)| {
            let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width)).max(1) as u32;
            let resized = if w == width { image.clone() } else { resize(&image, w, h)? };
            let encoded = encode(&resized, f, config.quality)?;
            let variant = Cached { width: w, height: h, format: f };
            write(dir, &variant.file_name(), &encoded)?;
            Ok(variant)
        })
        .collect::<Result<Vec<Cached>, String>>()?;
    let index = serde_json::to_vec(&variants).map_err(|e| e.to_string())?;
    write(dir, INDEX_FILE, &index)?;
    Ok(variants)
}

/// The widths to write: every configured width below the original's, and the original's own
/// when it is narrower than the widest configured one. Never wider than the original.
pub(super) fn widths(original: u32, configured: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = configured.iter().copied().filter(|&w| w < original).collect();
    let widest = configured.iter().copied().max().unwrap_or(original);
    widths.push(original.min(widest));
    widths.sort_unstable();
    widths.dedup();
    widths
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| format!("cannot decode the image: {e}"))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| format!("cannot decode the image: {e}"))?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn resize(image: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    let mut resized = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3));
    Resizer::new().resize(image, &mut resized, &options).map_err(|e| format!("cannot resize the image: {e}"))?;
    Ok(resized)
}

fn encode(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = (image.width(), image.height());
    let mut out = Vec::new();
    match format {
        Format::Webp => {
            let encoder = match image {
                DynamicImage::ImageRgba8(i) => webp::Encoder::from_rgba(i.as_raw(), w, h),
                _ => webp::Encoder::from_rgb(image.as_rgb8().ok_or("unexpected pixel layout")?.as_raw(), w, h),
            };
            out.extend_from_slice(&encoder.encode(f32::from(quality)));
        }
        Format::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            image.write_with_encoder(encoder).map_err(|e| format!("cannot encode JPEG: {e}"))?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new(&mut out);
            image.write_with_encoder(encoder).map_err(|e| format!("cannot encode PNG: {e}"))?;
        }
    }
    Ok(out)
}

/// Writes `path` (a file in `dir`) through a temporary file in `dir`.
pub(super) fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `name` in `dir` through a temporary file, so a killed build leaves no half file.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    write_atomic(dir, &dir.join(name), bytes).map_err(|e| format!("cannot write {name} in the image cache: {e}"))
}
