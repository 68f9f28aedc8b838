//! Spreadsheets that are zip archives (.xlsx, .xlsm, .xlsb, .ods) are
//! measured before calamine reads them: calamine inflates a sheet whole and
//! holds about 30 times its XML in memory, so a 600 KB file whose sheet
//! inflates to 200 MB would take gigabytes. The sizes the archive declares
//! in its central directory are checked without inflating anything. They
//! can be trusted: the zip crate (which calamine reads through) stops an
//! entry that inflates past its declared size with an error.

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
        .map_err(|e| format!("无法读取 {shown}：{e} / cannot read {shown}: {e}"))?;
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || &magic != b"PK\x03\x04" {
        return Ok(());
    }
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        format!("{shown} 不是完好的电子表格（zip 无法读取）：{e} / {shown} is not a sound spreadsheet (its zip cannot be read): {e}")
    })?;
    let too_big = |zh: String, en: String| {
        format!(
            "{shown} 展开后过大，不予读取：{zh} / {shown} is refused before it is expanded: {en}\n  = help: 在 Excel 中打开并另存为 .xlsx，删去无关的工作表；或导出为 .csv 再导入 / open it in Excel and save it again as .xlsx without unrelated sheets, or save it as .csv and import that"
        )
    };
    if zip.len() > MAX_ENTRIES {
        return Err(too_big(
            format!("含 {} 个部件，上限 {MAX_ENTRIES} 个", zip.len()),
            format!(
                "it holds {} parts, more than the {MAX_ENTRIES} allowed",
                zip.len()
            ),
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| format!("{shown}: {e}"))?;
        let (name, size, stored) = (
            entry.name().map(|n| n.to_string()).unwrap_or_default(),
            entry.size(),
            entry.compressed_size(),
        );
        check_entry(&name, size, stored).map_err(|(zh, en)| too_big(zh, en))?;
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(too_big(
                format!("各部件展开后合计超过 {} MiB", MAX_TOTAL_BYTES / MIB),
                format!(
                    "its parts inflate to more than {} MiB in all",
                    MAX_TOTAL_BYTES / MIB
                ),
            ));
        }
    }
    Ok(())
}

/// One entry's declared sizes against the limits: Err(zh, en).
fn check_entry(name: &str, size: u64, stored: u64) -> Result<(), (String, String)> {
    if size > MAX_ENTRY_BYTES {
        return Err((
            format!(
                "部件 {name} 展开后 {} MiB，上限 {} MiB",
                size / MIB,
                MAX_ENTRY_BYTES / MIB
            ),
            format!(
                "the part {name} inflates to {} MiB, more than the {} MiB allowed",
                size / MIB,
                MAX_ENTRY_BYTES / MIB
            ),
        ));
    }
    if size > RATIO_FROM && size > stored.saturating_mul(MAX_RATIO) {
        let ratio = size / stored.max(1);
        return Err((
            format!("部件 {name} 的压缩比为 {ratio}:1，上限 {MAX_RATIO}:1"),
            format!("the part {name} is compressed {ratio} to 1, more than the {MAX_RATIO} to 1 allowed"),
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
        let (zh, en) = check_entry("s", 212_000_000, 619_000).unwrap_err();
        assert!(zh.contains("64 MiB") && en.contains("64 MiB"), "{en}");
        let (_, en) = check_entry("s", 50 * MIB, MIB / 4).unwrap_err();
        assert!(en.contains("200 to 1") && en.contains("100 to 1"), "{en}");
        assert!(check_entry("s", 50 * MIB, MIB).is_ok());
    }
}
