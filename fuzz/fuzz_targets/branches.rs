//! Fuzzes loading and validating a branches file: any text, checked as
//! `branches` of a site whose other files are valid samples, then drawn
//! on the charts.
#![no_main]

#[path = "time_limit.rs"]
mod time_limit;

use libfuzzer_sys::fuzz_target;
use nianbao::standalone::{charts, check, Source};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = check(Source::Branches, text);
        // Its figures on every chart's axes, drawn within a time limit.
        let text = text.to_string();
        time_limit::within(time_limit::CHARTS, move || charts(Source::Branches, &text));
    }
});
