//! Fuzzes the removal of `private:` fields before a register is archived:
//! it must never panic, and what it returns must hold no `private` key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::archive::redact::{has_private, redact};
use nianbao::load::yaml;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("organizations.yaml");
    if let Ok(out) = redact(path, text) {
        if let Ok(tree) = yaml::parse(path, &out, 0) {
            assert!(!has_private(&tree), "a private field survived:\n{out}");
        }
    }
});
