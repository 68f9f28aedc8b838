//! `nianbao new DIR`: a small site that builds and passes `check` as it is,
//! for the current year or `--year Y`, and a blank ledger template beside
//! it (see `nianbao::scaffold`).

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use nianbao::msg;
use nianbao::scaffold;

pub fn run(dir: &Path, language: &str, year: Option<i32>) -> super::Outcome {
    let shown = dir.display();
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(super::environment_error(format!(
                    "{}\n  = {}: {}",
                    msg!("office.new.not_empty", dir = shown),
                    msg!("diag.help"),
                    msg!("office.new.not_empty.help")
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) if dir.exists() && !dir.is_dir() => {
            return Err(super::environment_error(msg!(
                "office.new.is_a_file",
                dir = shown
            )));
        }
        Err(e) => {
            return Err(super::environment_error(msg!(
                "office.new.cannot_read",
                dir = shown,
                error = e
            )))
        }
    }
    let year = year.unwrap_or_else(|| current_year() as i32);
    let template = scaffold::template::xlsx().map_err(|e| {
        super::environment_error(msg!(
            "office.new.cannot_write",
            file = scaffold::TEMPLATE_FILE,
            error = e
        ))
    })?;
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = scaffold::files(language, year)
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    files.push((scaffold::TEMPLATE_FILE.into(), template));
    for (path, bytes) in &files {
        let path = dir.join(path);
        if let Err(e) = write(&path, bytes) {
            return Err(super::environment_error(msg!(
                "office.new.cannot_write",
                file = path.display(),
                error = e
            )));
        }
    }
    println!("{}", msg!("office.new.created", dir = shown, year = year));
    println!(
        "{}",
        msg!(
            "office.new.template",
            file = dir.join(scaffold::TEMPLATE_FILE).display(),
            dir = shown,
            name = scaffold::TEMPLATE_FILE,
            year = year
        )
    );
    println!("{}", msg!("office.new.next", dir = shown));
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// The current year (UTC), from the days since 1970 (civil calendar).
fn current_year() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    year_of_day(secs.div_euclid(86_400))
}

/// The year of the day `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn year_of_day(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_days() {
        assert_eq!(year_of_day(0), 1970);
        assert_eq!(year_of_day(364), 1970);
        assert_eq!(year_of_day(365), 1971);
        // 2016-12-31 and 2017-01-01
        assert_eq!(year_of_day(17_166), 2016);
        assert_eq!(year_of_day(17_167), 2017);
    }
}
