//! A look at an old-style .xls file (a Compound File, [MS-CFB]) before
//! calamine reads it: calamine follows each chain of sectors until it
//! ends, so a file whose chain loops back on itself grows a vector until
//! memory runs out (a 5 KB file took 2.8 GB before it was killed, found
//! by the `spreadsheet` fuzz target), and panics on a table sector cut
//! short by the end of the file. Here every sector of the tables must lie
//! whole in the file, and every chain of them must end.

use std::path::Path;

const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Sector numbers at and above this one are markers (end of chain, free…).
const MAX_REGULAR: u32 = 0xFFFF_FFFA;

/// Refuses a compound file whose sector tables loop or point outside it.
/// Files that are not compound files pass: calamine tells what they are.
pub fn check(path: &Path) -> Result<(), String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Ok(()); // calamine reports it
    };
    if !bytes.starts_with(&SIGNATURE) {
        return Ok(());
    }
    check_bytes(&bytes).map_err(|why| {
        format!(
            "{}\n  = {}: {}",
            crate::msg!("import.file.damaged_xls", file = path.display(), why = why),
            crate::msg!("diag.help"),
            crate::msg!("import.file.damaged_xls.help")
        )
    })
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn check_bytes(b: &[u8]) -> Result<(), String> {
    let shift = b
        .get(30..32)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]));
    if !(7..=16).contains(&shift) {
        return Err(format!("its sector size 2^{shift} is not one Excel writes"));
    }
    let size = 1usize << shift;
    let sectors = b.len().saturating_sub(size).div_ceil(size);
    // Only whole sectors: calamine reads a table sector cut short by the
    // end of the file as whole numbers and panics on the rest.
    let sector = |n: u32| {
        let start = size + n as usize * size;
        b.get(start..start + size)
    };
    // The sectors that hold the FAT: 109 listed in the header, the rest in
    // a chain of DIFAT sectors (each ending with the next one's number).
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(b, 76 + 4 * i)).collect();
    let mut difat = u32_at(b, 68).unwrap_or(u32::MAX);
    let mut seen = 0;
    while difat < MAX_REGULAR {
        seen += 1;
        if seen > sectors {
            return Err("its table of tables (DIFAT) loops".into());
        }
        let s = sector(difat).ok_or(
            "its table of tables (DIFAT) points outside the file, or the file is cut short",
        )?;
        let n = size / 4 - 1;
        fat_sectors.extend((0..n).filter_map(|i| u32_at(s, 4 * i)));
        difat = u32_at(s, 4 * n).unwrap_or(u32::MAX);
    }
    let mut fat = Vec::new();
    for &n in fat_sectors.iter().filter(|&&n| n < MAX_REGULAR) {
        let s = sector(n)
            .ok_or("its sector table (FAT) points outside the file, or the file is cut short")?;
        fat.extend((0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    if let Some(at) = first_loop(&fat) {
        return Err(format!("the chain of sectors through sector {at} loops"));
    }
    // The mini stream's table is itself a chain of the FAT.
    let mut minifat = Vec::new();
    let mut next = u32_at(b, 60).unwrap_or(u32::MAX);
    while next < MAX_REGULAR {
        let s = sector(next)
            .ok_or("its mini sector table points outside the file, or the file is cut short")?;
        minifat.extend((0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)));
        next = fat.get(next as usize).copied().unwrap_or(u32::MAX);
    }
    if let Some(at) = first_loop(&minifat) {
        return Err(format!(
            "the chain of mini sectors through mini sector {at} loops"
        ));
    }
    Ok(())
}

/// A sector on a loop of the table `next` (each entry names the sector
/// after it; numbers past the table end a chain), if there is one. Each
/// entry is visited once: 0 unvisited, 1 on the walk under way, 2 done.
fn first_loop(next: &[u32]) -> Option<u32> {
    let mut state = vec![0u8; next.len()];
    for start in 0..next.len() {
        let mut path = Vec::new();
        let mut at = start;
        while at < next.len() && state[at] == 0 {
            state[at] = 1;
            path.push(at);
            at = next[at] as usize;
        }
        if at < next.len() && state[at] == 1 {
            return Some(at as u32);
        }
        for p in path {
            state[p] = 2;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_loops_and_ends() {
        assert_eq!(first_loop(&[1, 2, 0xFFFF_FFFE]), None);
        assert_eq!(first_loop(&[1, 2, 1]), Some(1));
        assert_eq!(first_loop(&[0]), Some(0));
        assert_eq!(first_loop(&[5, 0xFFFF_FFFF, 1]), None);
    }

    #[test]
    fn the_test_ledger_passes_and_a_looping_copy_does_not() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ledger/测试台账.xls");
        let good = std::fs::read(&path).unwrap();
        assert_eq!(check_bytes(&good), Ok(()));
        // The first FAT sector, made to point at itself.
        let shift = u16::from_le_bytes([good[30], good[31]]);
        let size = 1usize << shift;
        let first_fat = u32_at(&good, 76).unwrap() as usize;
        let mut bad = good.clone();
        let at = size + first_fat * size;
        bad[at..at + 4].copy_from_slice(&0u32.to_le_bytes());
        assert!(check_bytes(&bad).unwrap_err().contains("loops"));
    }
}
