//! nianbao compiles an office's YAML registers and Markdown write-up into a
//! static annual report site.
//!
//! The pipeline runs one way: `load` (disk → YAML trees) → `resolve` (trees
//! → validated model) → `derive` (model → figures) → `present` (figures →
//! what every output shows, made once) → the outputs, peers that do not
//! import each other: `render` (HTML site), `brief` (.docx), `export`
//! (.xlsx), a single chart → `write` (files → output folder). Each stage
//! collects its problems into `Diagnostics`; the build stops before writing
//! if any of them is an error. [`build::run`] runs the stages for every
//! command, so no two commands wire them differently.

pub mod archive;
pub mod brief;
pub mod build;
pub mod derive;
pub mod diagnostics;
pub mod export;
pub mod import;
pub mod layout;
pub mod load;
pub mod mark;
pub mod messages;
pub mod model;
pub mod present;
pub mod render;
pub mod resolve;
pub mod rollup;
pub mod scaffold;
pub mod scan;
pub mod serve;
pub mod standalone;
pub mod summary;
pub mod vocabulary;
pub mod write;

pub use render::Rendered;
