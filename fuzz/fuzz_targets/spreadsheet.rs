//! Fuzzes the spreadsheet reader of `import`: any bytes as a .xlsx, .xls,
//! .ods or .csv file are read or refused, never a panic.
#![no_main]

mod outputs;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    outputs::spreadsheet(data);
});
