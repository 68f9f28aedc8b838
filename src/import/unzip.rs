//! Spreadsheets that are zip archives (.xlsx, .xlsm, .xlsb, .ods) are
//! measured before calamine reads them: calamine inflates a sheet whole and
//! holds about 30 times its XML in memory, so a 600 KB file whose sheet
//! inflates to 200 MB would take gigabytes. The sizes the archive declares
//! in its central directory are checked without inflating anything. They
//! can be trusted: the zip crate (which calamine reads through) stops an
//! entry that inflates past its declared size with an error.

use crate::msg;
use std::io::Read as _;
use std::path::Path;

/// Entries in one archive (a workbook has a few dozen).
pub const MAX_ENTRIES: usize = 10_000;
/// One entry, inflated. A register of 100,000 rows of 12 columns is a
/// sheet of about 50 MB.
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// All entries together, inflated.
pub const MAX_TOTAL_BYTES: u64 = 128 * 1024 * 1024;
/// Inflated size over stored size, for entries over `RATIO_FROM` bytes:
/// sheet XML compresses about 10 to 1, a bomb 1000 to 1.
pub const MAX_RATIO: u64 = 100;
const RATIO_FROM: u64 = 1024 * 1024;

const MIB: u64 = 1024 * 1024;

/// Ok when `path` is no zip archive or one within the limits; otherwise
/// why not, naming the limit, in both languages.
pub fn check(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let mut file = std::fs::File::open(path)
        .map_err(|e| msg!("import.file.cannot_read", file = shown, why = e))?;
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || &magic != b"PK\x03\x04" {
        return Ok(());
    }
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| msg!("import.zip.unsound", file = shown, why = e))?;
    let too_big = |why: String| {
        format!(
            "{}\n  = {}: {}",
            msg!("import.zip.too_big", file = shown, why = why),
            msg!("diag.help"),
            msg!("import.zip.too_big.help")
        )
    };
    if zip.len() > MAX_ENTRIES {
        return Err(too_big(msg!(
            "import.zip.parts",
            n = zip.len(),
            max = MAX_ENTRIES
        )));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| format!("{shown}: {e}"))?;
        let (name, size, stored) = (
            entry.name().map(|n| n.to_string()).unwrap_or_default(),
            entry.size(),
            entry.compressed_size(),
        );
        check_entry(&name, size, stored).map_err(too_big)?;
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(too_big(msg!(
                "import.zip.total",
                max = MAX_TOTAL_BYTES / MIB
            )));
        }
    }
    Ok(())
}

/// One entry's declared sizes against the limits: Err(why).
fn check_entry(name: &str, size: u64, stored: u64) -> Result<(), String> {
    if size > MAX_ENTRY_BYTES {
        return Err(msg!(
            "import.zip.part_size",
            name = name,
            mib = size / MIB,
            max = MAX_ENTRY_BYTES / MIB
        ));
    }
    if size > RATIO_FROM && size > stored.saturating_mul(MAX_RATIO) {
        let ratio = size / stored.max(1);
        return Err(msg!(
            "import.zip.part_ratio",
            name = name,
            ratio = ratio,
            max = MAX_RATIO
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_ratios_are_checked() {
        assert!(check_entry("xl/worksheets/sheet1.xml", 344_762, 47_103).is_ok());
        // Small entries may compress well (repeated empty cells).
        assert!(check_entry("a", 900_000, 100).is_ok());
        let en = check_entry("s", 212_000_000, 619_000).unwrap_err();
        assert!(en.contains("64 MiB"), "{en}");
        let en = check_entry("s", 50 * MIB, MIB / 4).unwrap_err();
        assert!(en.contains("200 to 1") && en.contains("100 to 1"), "{en}");
        assert!(check_entry("s", 50 * MIB, MIB).is_ok());
    }
}
