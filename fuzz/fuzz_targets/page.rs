//! Fuzzes loading and validating a page file: any text, checked as
//! `page` of a site whose other files are valid samples.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::standalone::{check, Source};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = check(Source::Page, text);
    }
});
