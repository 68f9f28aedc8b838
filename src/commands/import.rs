//! `nianbao import FILE --into DIR`: a spreadsheet register → the data
//! files of a year (see `nianbao::import`).

use nianbao::import::{self, Options};

pub type Args<'a> = Options<'a>;

pub fn run(args: Args) -> super::Outcome {
    let code = import::run(
        &args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    match code {
        0 => Ok(()),
        code => Err(super::Failure::Code(code)),
    }
}
