//! Fuzzes the personal-number scan of the output: any text, never a panic,
//! every number found is a valid one, and its masked form hides it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::scan::{resident_id, scan_text, Kind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for f in scan_text(text) {
        match f.kind {
            Kind::ResidentId => assert!(resident_id(&f.number), "{f:?}"),
            Kind::Mobile => assert_eq!(f.number.len(), 11, "{f:?}"),
        }
        assert_ne!(f.masked(), f.number);
    }
});
