//! Fuzzes the Word briefing: any text as a page of a valid site; when it
//! builds, every XML part of the .docx (and every SVG) is well formed.
#![no_main]

mod outputs;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        outputs::brief(text);
    }
});
