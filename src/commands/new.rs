//! `nianbao new DIR`: a small site that builds and passes `check` as it is,
//! for the current year: site.yaml, a register of a few organizations and
//! branches, metrics, two pages. The files are in `src/scaffold/`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// (path under DIR, text) of each language's scaffold; `{{YEAR}}` becomes
/// the year of the new site.
macro_rules! scaffold {
    ($lang:literal) => {
        [
            (
                "content/site.yaml",
                include_str!(concat!("../scaffold/", $lang, "/site.yaml")),
            ),
            (
                "content/data/{{YEAR}}/organizations.yaml",
                include_str!(concat!("../scaffold/", $lang, "/organizations.yaml")),
            ),
            (
                "content/data/{{YEAR}}/branches.yaml",
                include_str!(concat!("../scaffold/", $lang, "/branches.yaml")),
            ),
            (
                "content/data/{{YEAR}}/metrics.yaml",
                include_str!(concat!("../scaffold/", $lang, "/metrics.yaml")),
            ),
            (
                "content/pages/overview.md",
                include_str!(concat!("../scaffold/", $lang, "/overview.md")),
            ),
            (
                "content/pages/work.md",
                include_str!(concat!("../scaffold/", $lang, "/work.md")),
            ),
            (
                ".gitignore",
                "# Built by `nianbao build`; never edited by hand.\n/output/\n",
            ),
        ]
    };
}

const ZH_CN: [(&str, &str); 7] = scaffold!("zh-CN");
const EN: [(&str, &str); 7] = scaffold!("en");

pub fn run(dir: &Path, language: &str) -> super::Outcome {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(super::environment_error(format!(
                    "refusing to create a site in {}: the folder is not empty\n  = help: name a new folder, e.g. nianbao new my-report",
                    dir.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(super::environment_error(format!(
                "cannot read {}: {e}",
                dir.display()
            )))
        }
    }
    if dir.exists() && !dir.is_dir() {
        return Err(super::environment_error(format!(
            "{} is a file, not a folder",
            dir.display()
        )));
    }
    let year = current_year().to_string();
    let files = if language == "en" { &EN } else { &ZH_CN };
    for (path, text) in files {
        let path = dir.join(path.replace("{{YEAR}}", &year));
        if let Err(e) = write(&path, &text.replace("{{YEAR}}", &year)) {
            return Err(super::environment_error(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
    }
    let shown = dir.display();
    println!("created a new site in {shown} for {year}: content/site.yaml, content/data/{year}/ (organizations, branches, metrics), content/pages/ (2 pages)");
    println!(
        "next: cd {shown} && nianbao serve    (or: nianbao build, then open output/index.html)"
    );
    Ok(())
}

fn write(path: &PathBuf, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
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
