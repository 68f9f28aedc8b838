//! The mark by which nianbao knows a file it wrote before, so that `brief`,
//! `export` and `chart` replace their own earlier output but never a file
//! someone else made. Each form carries the mark where its readers ignore
//! it, and the bytes stay the same from run to run:
//!
//! - .docx, .xlsx (any zip): the archive comment `nianbao`;
//! - .png: a `tEXt` chunk `Software` = `nianbao` right after the header;
//! - .svg: the attribute `data-generator="nianbao"` on the root element;
//! - .csv has no place for a mark: a CSV is taken for nianbao's when it
//!   starts with the byte-order mark and the very header line of the CSV
//!   about to replace it (an earlier version of the same chart's table).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

pub const NAME: &str = "nianbao";
const ZIP_EOCD: &[u8; 4] = b"PK\x05\x06";
const EOCD_LEN: usize = 22;
const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
pub const SVG_ATTRIBUTE: &str = "data-generator=\"nianbao\"";
const BOM: &str = "\u{feff}";

/// A zip archive with `nianbao` as its comment (replacing an empty one).
pub fn mark_zip(mut zip: Vec<u8>) -> Vec<u8> {
    if let Some(at) = eocd(&zip) {
        if zip.len() == at + EOCD_LEN {
            let len = NAME.len() as u16;
            zip[at + 20..at + 22].copy_from_slice(&len.to_le_bytes());
            zip.extend_from_slice(NAME.as_bytes());
        }
    }
    zip
}

/// A PNG with a `tEXt` chunk naming nianbao right after its header chunk.
pub fn mark_png(png: Vec<u8>) -> Vec<u8> {
    // Signature (8) + IHDR: length (4), type (4), 13 bytes, CRC (4).
    const AFTER_IHDR: usize = 8 + 4 + 4 + 13 + 4;
    if png.len() < AFTER_IHDR || !png.starts_with(PNG_SIGNATURE) || &png[12..16] != b"IHDR" {
        return png;
    }
    let data = [b"Software\0".as_slice(), NAME.as_bytes()].concat();
    let mut chunk = Vec::with_capacity(data.len() + 12);
    chunk.extend_from_slice(&(data.len() as u32).to_be_bytes());
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(&crc32(&chunk[4..]).to_be_bytes());
    let mut out = Vec::with_capacity(png.len() + chunk.len());
    out.extend_from_slice(&png[..AFTER_IHDR]);
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[AFTER_IHDR..]);
    out
}

/// Whether the file at `path` carries nianbao's mark; `new` is what is
/// about to replace it (its header line identifies a CSV of the same
/// table). Unreadable files are not nianbao's.
pub fn written_by_nianbao(path: &Path, new: &[u8]) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = vec![0; 64 * 1024];
    let Ok(n) = read_full(&mut file, &mut head) else {
        return false;
    };
    head.truncate(n);
    if head.starts_with(b"PK\x03\x04") {
        return zip_marked(&mut file);
    }
    if head.starts_with(PNG_SIGNATURE) {
        return png_marked(&head);
    }
    let text = String::from_utf8_lossy(&head);
    if let Some(root) = text.find("<svg") {
        let tag_end = text[root..].find('>').map_or(text.len(), |e| root + e);
        return text[root..tag_end].contains(SVG_ATTRIBUTE);
    }
    let new = String::from_utf8_lossy(&new[..new.len().min(head.len().max(1))]);
    let first_line = |s: &str| s.split_once('\n').map(|(l, _)| l.to_string());
    text.starts_with(BOM)
        && new.starts_with(BOM)
        && first_line(&text).is_some()
        && first_line(&text) == first_line(&new)
}

fn read_full(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The archive comment sits at the very end, after the 22-byte end record.
fn zip_marked(file: &mut std::fs::File) -> bool {
    let tail_len = (EOCD_LEN + NAME.len()) as i64;
    if file.seek(SeekFrom::End(-tail_len)).is_err() {
        return false;
    }
    let mut tail = Vec::new();
    if file.read_to_end(&mut tail).is_err() {
        return false;
    }
    tail.starts_with(ZIP_EOCD)
        && tail[20..22] == (NAME.len() as u16).to_le_bytes()
        && tail.ends_with(NAME.as_bytes())
}

fn png_marked(head: &[u8]) -> bool {
    let mut at = PNG_SIGNATURE.len();
    while at + 8 <= head.len() {
        let len = u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]) as usize;
        let kind = &head[at + 4..at + 8];
        if kind == b"IDAT" {
            return false;
        }
        let data = head.get(at + 8..at + 8 + len);
        if kind == b"tEXt"
            && data
                == Some(
                    [b"Software\0".as_slice(), NAME.as_bytes()]
                        .concat()
                        .as_slice(),
                )
        {
            return true;
        }
        at += 12 + len;
    }
    false
}

/// The end-of-central-directory record of a zip without a comment.
fn eocd(zip: &[u8]) -> Option<usize> {
    let at = zip.len().checked_sub(EOCD_LEN)?;
    zip[at..].starts_with(ZIP_EOCD).then_some(at)
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_a_known_chunk() {
        // The IEND chunk's CRC, fixed by the PNG specification.
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
    }

    #[test]
    fn marks_are_recognised_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let check = |name: &str, bytes: &[u8], new: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            written_by_nianbao(&p, new)
        };
        let zip = b"PK\x03\x04rest-of-zipPK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
        assert!(!check("a.docx", &zip, b""));
        assert!(check("a.docx", &mark_zip(zip), b""));
        let png = [
            PNG_SIGNATURE.as_slice(),
            &[0, 0, 0, 13],
            b"IHDR",
            &[0; 17],
            &[0, 0, 0, 0],
            b"IDAT",
        ]
        .concat();
        assert!(!check("a.png", &png, b""));
        assert!(check("a.png", &mark_png(png), b""));
        assert!(check(
            "a.svg",
            b"<svg data-generator=\"nianbao\" x=\"1\"><g/></svg>",
            b""
        ));
        assert!(!check(
            "a.svg",
            b"<svg x=\"1\"><g data-generator=\"nianbao\"/></svg>",
            b""
        ));
        let csv = "\u{feff}类别,数\r\n甲,1\r\n";
        assert!(check(
            "a.csv",
            csv.as_bytes(),
            "\u{feff}类别,数\r\n乙,2\r\n".as_bytes()
        ));
        assert!(!check(
            "a.csv",
            csv.as_bytes(),
            "\u{feff}年份,数\r\n".as_bytes()
        ));
        assert!(!check("a.yaml", b"title: x\n", b"title: x\n"));
    }
}
