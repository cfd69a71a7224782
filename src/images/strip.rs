//! Metadata-free copies of original images: a JPEG, PNG or WebP file the site publishes as it is
//! (a page bundle's photo, a file in `static/`) loses its EXIF, XMP, IPTC and text blocks, GPS
//! positions included, and keeps its pixels byte for byte. A JPEG keeps its orientation, in a
//! minimal EXIF block of that one tag, so it still shows upright.

use super::Format;

/// `bytes` without metadata; `None` when the file is not laid out as its format says.
pub fn without_metadata(bytes: &[u8], format: Format) -> Option<Vec<u8>> {
    match format {
        Format::Jpeg => jpeg(bytes),
        Format::Png => png(bytes),
        Format::Webp => webp(bytes),
    }
}

fn jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut kept = Vec::with_capacity(bytes.len());
    let mut orientation = None;
    let mut pos = 2;
    loop {
        if *bytes.get(pos)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(pos + 1)?;
        if marker == 0xFF {
            pos += 1; // fill byte
            continue;
        }
        if marker == 0xDA || marker == 0xD9 {
            kept.extend_from_slice(&bytes[pos..]);
            break;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            kept.extend_from_slice(&bytes[pos..pos + 2]);
            pos += 2;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(pos + 2)?, *bytes.get(pos + 3)?]));
        let end = pos + 2 + length;
        let segment = bytes.get(pos..end)?;
        match marker {
            0xE1 => orientation = orientation.or_else(|| exif_orientation(&segment[4..])),
            // APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) say how
            // to show the pixels; other APPn blocks and comments are metadata.
            0xE0 | 0xE2 | 0xEE => kept.extend_from_slice(segment),
            0xE3..=0xEF | 0xFE => {}
            _ => kept.extend_from_slice(segment),
        }
        pos = end;
    }
    let mut out = vec![0xFF, 0xD8];
    if let Some(o) = orientation.filter(|&o| o != 1) {
        out.extend(orientation_block(o));
    }
    out.extend(kept);
    Some(out)
}

/// The Orientation tag of an APP1 EXIF block's contents (`Exif\0\0` + TIFF).
fn exif_orientation(app1: &[u8]) -> Option<u16> {
    let tiff = app1.strip_prefix(b"Exif\0\0")?;
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |i: usize| -> Option<u16> {
        let b = [*tiff.get(i)?, *tiff.get(i + 1)?];
        Some(if big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b = [*tiff.get(i)?, *tiff.get(i + 1)?, *tiff.get(i + 2)?, *tiff.get(i + 3)?];
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count).map(|n| ifd + 2 + n * 12).find(|&e| u16_at(e) == Some(0x0112)).and_then(|e| u16_at(e + 8))
}

/// An APP1 EXIF segment holding only the Orientation tag.
fn orientation_block(orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0, 0, 0, 0, 0]);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(u16::try_from(tiff.len() + 2).unwrap_or(u16::MAX).to_be_bytes());
    segment.extend(tiff);
    segment
}

fn png(bytes: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut out = bytes.get(..8).filter(|s| *s == SIGNATURE)?.to_vec();
    let mut pos = 8;
    while pos < bytes.len() {
        let length = usize::try_from(u32::from_be_bytes(bytes.get(pos..pos + 4)?.try_into().ok()?)).ok()?;
        let end = pos + 12 + length;
        let chunk = bytes.get(pos..end)?;
        if !matches!(&chunk[4..8], b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        pos = end;
    }
    Some(out)
}

fn webp(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WEBP" {
        return None;
    }
    let mut body = b"WEBP".to_vec();
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let size = usize::try_from(u32::from_le_bytes(bytes.get(pos + 4..pos + 8)?.try_into().ok()?)).ok()?;
        let end = (pos + 8 + size + size % 2).min(bytes.len());
        let mut chunk = bytes.get(pos..end)?.to_vec();
        match &chunk[..4] {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                // Clear the flags that announce EXIF (0x08) and XMP (0x04) chunks.
                if let Some(flags) = chunk.get_mut(8) {
                    *flags &= !0x0C;
                }
                body.extend(chunk);
            }
            _ => body.extend(chunk),
        }
        pos = end;
    }
    let mut out = b"RIFF".to_vec();
    out.extend(u32::try_from(body.len()).ok()?.to_le_bytes());
    out.extend(body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with an EXIF block (orientation 6 and a GPS pointer), a comment and XMP.
    fn tagged_jpeg() -> Vec<u8> {
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::new(8, 4))
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut jpeg))
            .unwrap();
        let mut exif = b"Exif\0\0II\x2a\0\x08\0\0\0\x02\0".to_vec();
        exif.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
        exif.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x26, 0, 0, 0]);
        exif.extend([0, 0, 0, 0]);
        exif.extend(b"GPSGPSGPS 36N 3E");
        let segment = |marker: u8, data: &[u8]| {
            let mut s = vec![0xFF, marker];
            s.extend(((data.len() + 2) as u16).to_be_bytes());
            s.extend(data);
            s
        };
        let mut out = jpeg[..2].to_vec();
        out.extend(segment(0xE1, &exif));
        out.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS</x:xmpmeta>"));
        out.extend(segment(0xFE, b"shot with a phone at home"));
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_jpeg_loses_its_metadata_but_keeps_pixels_and_orientation() {
        let original = tagged_jpeg();
        let clean = without_metadata(&original, Format::Jpeg).unwrap();
        assert!(!clean.windows(3).any(|w| w == b"GPS"));
        assert!(!clean.windows(5).any(|w| w == b"phone"));
        assert_eq!(exif_orientation(&clean[6..]), Some(6));
        let decoded = |b: &[u8]| image::load_from_memory(b).unwrap().to_rgb8().into_raw();
        assert_eq!(decoded(&clean), decoded(&original));
    }

    #[test]
    fn png_text_and_webp_exif_chunks_are_dropped() {
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::new(4, 4))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let text = b"tEXtLocation\0Home";
        let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
        chunk.extend(text);
        chunk.extend([0, 0, 0, 0]);
        let tagged: Vec<u8> = [&png[..33], &chunk[..], &png[33..]].concat();
        let clean = without_metadata(&tagged, Format::Png).unwrap();
        assert_eq!(clean, png);

        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x08\0\0\0\x03\0\0\x03\0\0EXIF\x04\0\0\0GPS!".to_vec();
        let size = (webp.len() - 8) as u32;
        webp[4..8].copy_from_slice(&size.to_le_bytes());
        let clean = without_metadata(&webp, Format::Webp).unwrap();
        assert!(!clean.windows(4).any(|w| w == b"EXIF" || w == b"GPS!"));
        assert_eq!(clean[20] & 0x08, 0);
        assert_eq!(u32::from_le_bytes(clean[4..8].try_into().unwrap()) as usize, clean.len() - 8);
    }
}
