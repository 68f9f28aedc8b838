//! Fuzzes chart drawing: any text as the organizations or the metrics of a
//! valid site; when it builds, every chart is drawn as SVG that parses and
//! as PNG. libFuzzer's `-timeout` stops a drawing that spins.
#![no_main]

mod outputs;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    outputs::charts(data);
});
