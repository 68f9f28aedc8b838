//! Cell text as people type it into a ledger: full-width digits, spaces of
//! every width, yes/no in a dozen spellings, dates written four ways. Each
//! parser returns what it understood or `Err` with what it expected.

use crate::model::{Date, Form, Kind, Level, Status};
use crate::vocabulary;

/// Full-width ASCII (`１２`, `ＡＢ`) to ASCII and every kind of space
/// (ideographic, no-break, tabs, line breaks) to one ASCII space; runs of
/// spaces collapse and the ends are trimmed. Punctuation is kept, so
/// `（筹）` in a name stays as written.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            c if c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}' => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// `normalize` plus full-width punctuation that has an ASCII twin
/// (`－`, `．`, `／`, `：`, `，`), for numbers and dates.
pub fn normalize_token(s: &str) -> String {
    normalize(s)
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '—' | '–' | '―' => '-',
            '。' => '.',
            c => c,
        })
        .collect()
}

/// A whole number of 0 or more, from text: `12`, `１２`, `1,200`, `12人`.
pub fn count(text: &str) -> Result<u64, String> {
    let t = normalize_token(text);
    let t = t.trim_end_matches(['人', '名', '个', '户', '家']).trim();
    let digits: String = t.chars().filter(|&c| c != ',').collect();
    if let Some(rest) = digits.strip_prefix('-') {
        if rest.parse::<f64>().is_ok_and(|v| v > 0.0) {
            return Err(crate::msg!("import.why.negative"));
        }
    }
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        // Compared as digits, so that a value of any length is quoted as
        // written, never as it comes back from `f64`.
        let n = digits.trim_start_matches('0');
        let max = crate::resolve::MAX_COUNT.to_string();
        if n.len() > max.len() || (n.len() == max.len() && n > max.as_str()) {
            return Err(crate::msg!(
                "import.why.count_too_large",
                value = digits,
                max = max
            ));
        }
        return digits
            .parse::<u64>()
            .map_err(|_| crate::msg!("import.why.too_large"));
    }
    if let Ok(v) = digits.parse::<f64>() {
        return count_number(v);
    }
    Err(crate::msg!("import.why.not_a_number"))
}

/// A whole number of 0 or more, from a number cell.
pub fn count_number(v: f64) -> Result<u64, String> {
    if v < 0.0 {
        Err(crate::msg!("import.why.negative"))
    } else if v.fract() != 0.0 {
        Err(crate::msg!("import.why.not_whole"))
    } else if v > crate::resolve::MAX_COUNT as f64 {
        Err(crate::msg!(
            "import.why.count_too_large",
            value = v,
            max = crate::resolve::MAX_COUNT
        ))
    } else {
        Ok(v as u64)
    }
}

/// A date written as text: `2016-06-15`, `2016/6/15`, `2016.6.15`,
/// `2016年6月15日`, `20160615`, with full-width digits too, and an Excel
/// serial number typed as text (`42536`). A time after the date is ignored.
pub fn date(text: &str) -> Result<Date, String> {
    let t = normalize_token(text);
    let t = t.split(' ').next().unwrap_or("");
    let t = t.split('T').next().unwrap_or("");
    if t.chars().all(|c| c.is_ascii_digit()) {
        return match t.len() {
            8 => ymd(&t[..4], &t[4..6], &t[6..]),
            5 => serial(t.parse::<f64>().map_err(|_| String::new())?),
            4 => Err(crate::msg!("import.why.a_year")),
            _ => Err(String::new()),
        };
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] => ymd(y, m, d),
        [y, _] if y.len() == 4 => Err(crate::msg!("import.why.no_day")),
        _ => Err(String::new()),
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Result<Date, String> {
    let ok =
        |s: &str, n: usize| (1..=n).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit());
    if y.len() != 4 || !ok(y, 4) || !ok(m, 2) || !ok(d, 2) {
        return Err(String::new());
    }
    let text = format!("{y}-{m:0>2}-{d:0>2}");
    Date::parse(&text).ok_or_else(|| crate::msg!("import.why.no_such_day"))
}

/// A month written without its day: `2019年5月`, `2019-05`, `2019.5`,
/// `2019/5`, read as the first of the month (the caller says so).
pub fn month(text: &str) -> Option<Date> {
    let t = normalize_token(text);
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m] if y.len() == 4 && (1..=2).contains(&m.len()) => ymd(y, m, "1").ok(),
        _ => None,
    }
}

/// A month typed into a number cell (`2019.5`, which Excel stores as a
/// number): the digits after the point are the month.
pub fn month_number(v: f64) -> Option<Date> {
    if !(1900.0..3000.0).contains(&v) || v.fract() == 0.0 {
        return None;
    }
    month(&format!("{v}"))
}

/// What a count written in words or with words around it means, to say
/// what to type instead: `约30人` → 30, `三十` → 30, `一百二十` → 120.
pub fn count_hint(text: &str) -> Option<u64> {
    let t = normalize_token(text);
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    let mut total = 0u64;
    let mut pending: Option<u64> = None;
    let mut seen = false;
    for c in t.chars() {
        let digit = "零一二三四五六七八九".chars().position(|d| d == c);
        let digit = digit.or_else(|| (c == '两').then_some(2));
        if let Some(d) = digit {
            pending = Some(d as u64);
            seen = true;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => continue,
        };
        seen = true;
        total += pending.take().unwrap_or(1) * unit;
    }
    seen.then(|| total + pending.unwrap_or(0))
}

/// An Excel serial date (days since 1899-12-30, the 1900 system).
pub fn serial(v: f64) -> Result<Date, String> {
    if !(1.0..2_958_466.0).contains(&v) {
        return Err(crate::msg!("import.why.not_a_date"));
    }
    let days = v.floor() as i64;
    if days == 60 {
        // Excel's 1900-02-29, a day that never was.
        return Err(crate::msg!("import.why.no_such_day"));
    }
    let days = if days < 60 { days + 1 } else { days };
    Ok(from_days(days - 25_569))
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
pub fn from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// The yes and no words, for "expected …".
pub fn yes_no_words() -> String {
    crate::msg!("import.words.yes_no")
}

/// Yes or no: `是`/`否`, `Y`/`N`, `√`/`×`, `1`/`0`, `有`/`无`,
/// `在`/`不在`, `园区内`/`园区外`, `true`/`false`.
pub fn yes_no(text: &str) -> Option<bool> {
    let t = normalize_token(text).to_lowercase();
    match t.as_str() {
        "是" | "y" | "yes" | "true" | "1" | "√" | "✓" | "✔" | "有" | "在" | "对" | "园区内"
        | "园内" | "在园区" | "已派驻" | "已配备" => Some(true),
        "否" | "n" | "no" | "false" | "0" | "×" | "✗" | "✘" | "x" | "无" | "不在" | "园区外"
        | "园外" | "不在园区" | "未派驻" | "未配备" | "/" | "-" | "--" | "—" => {
            Some(false)
        }
        _ => None,
    }
}

pub fn kinds_words() -> String {
    crate::msg!("import.words.kinds")
}

pub fn kind(text: &str) -> Option<Kind> {
    let t = normalize(text).to_lowercase();
    Kind::parse(&t).or_else(|| vocabulary::read(vocabulary::KINDS, &t))
}

pub fn statuses_words() -> String {
    crate::msg!("import.words.statuses")
}

pub fn status(text: &str) -> Option<Status> {
    let t = normalize(text).to_lowercase();
    Status::parse(&t).or_else(|| vocabulary::read(vocabulary::STATUSES, &t))
}

pub fn party_org_kinds_words() -> String {
    crate::msg!("import.words.party_org_kinds")
}

/// What a party organization is, as a ledger says it: a way of forming a
/// branch (`单独组建`, `联合组建`), a level (`党总支`), or both
/// (`联合党支部`). `None` when the text is none of these.
pub fn party_org_kind(text: &str) -> Option<(Option<Level>, Option<Form>)> {
    let t = normalize(text).to_lowercase().replace(' ', "");
    if let Some(f) = Form::parse(&t) {
        return Some((None, Some(f)));
    }
    if let Some(l) = Level::parse(&t) {
        return Some((Some(l), None));
    }
    if let Some(f) = vocabulary::read(vocabulary::FORMS, &t) {
        return Some((None, Some(f)));
    }
    if let Some(l) = vocabulary::read(vocabulary::LEVELS, &t) {
        return Some((Some(l), None));
    }
    // A level and a form in one word.
    Some(match t.as_str() {
        "单独党支部" | "独立党支部" | "单独组建党支部" => {
            (Some(Level::Branch), Some(Form::Single))
        }
        "联合党支部" | "联合支部" | "联合组建党支部" => {
            (Some(Level::Branch), Some(Form::Joint))
        }
        _ => return None,
    })
}

/// The level a party organization's name ends in, if any.
pub fn level_from_name(name: &str) -> Option<Level> {
    let n = name.trim_end_matches([')', '）']);
    if n.ends_with("工委") || n.ends_with("工作委员会") {
        Some(Level::WorkCommittee)
    } else if n.ends_with("党总支部") || n.ends_with("党总支") || n.ends_with("总支部委员会")
    {
        Some(Level::GeneralBranch)
    } else if n.ends_with("支部") || n.ends_with("支部委员会") {
        Some(Level::Branch)
    } else if n.ends_with("党委") || n.ends_with("委员会") {
        Some(Level::Committee)
    } else {
        None
    }
}

/// `0` → `A`, `26` → `AA`: the column letters Excel shows.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        date(s)
            .map(|d| d.to_string())
            .unwrap_or_else(|e| format!("err {e}"))
    }

    #[test]
    fn normalizes_full_width_and_spaces() {
        assert_eq!(normalize("　示例企业\u{3000}０１２ "), "示例企业 012");
        assert_eq!(normalize("a \n\t b"), "a b");
    }

    #[test]
    fn reads_counts() {
        assert_eq!(count("１２"), Ok(12));
        assert_eq!(count("1,200"), Ok(1200));
        assert_eq!(count("12人"), Ok(12));
        assert!(count("十二").is_err());
        assert_eq!(count("-3"), Err("is negative".into()));
        assert_eq!(count("2.5"), Err("is not a whole number".into()));
        assert_eq!(count("1000000000"), Ok(1_000_000_000));
        assert_eq!(
            count("18446744073709551617"),
            Err("is 18446744073709551617, more than the 1000000000 a count may be".into())
        );
        assert_eq!(
            count_number(9007199254740992.0),
            Err("is 9007199254740992, more than the 1000000000 a count may be".into())
        );
    }

    #[test]
    fn reads_dates() {
        assert_eq!(d("2016-06-15"), "2016-06-15");
        assert_eq!(d("2016/6/5"), "2016-06-05");
        assert_eq!(d("２０１６年６月１５日"), "2016-06-15");
        assert_eq!(d("2016.06.15"), "2016-06-15");
        assert_eq!(d("20160615"), "2016-06-15");
        assert_eq!(d("42536"), "2016-06-15");
        assert_eq!(d("2016-06-15 00:00:00"), "2016-06-15");
        assert_eq!(d("2016-02-30"), "err is not a day of the calendar");
        assert_eq!(d("2016年6月"), "err has no day");
    }

    #[test]
    fn reads_months_and_counts_in_words() {
        let m = |s: &str| month(s).map(|d| d.to_string());
        for t in ["2019年5月", "2019-05", "2019.5", "2019/5", "２０１９年５月"] {
            assert_eq!(m(t).as_deref(), Some("2019-05-01"), "{t}");
        }
        assert_eq!(m("2019-13"), None);
        assert_eq!(m("5月"), None);
        assert_eq!(
            month_number(2019.5).map(|d| d.to_string()).as_deref(),
            Some("2019-05-01")
        );
        assert_eq!(month_number(2019.0), None);
        assert_eq!(count_hint("约30人"), Some(30));
        assert_eq!(count_hint("三十"), Some(30));
        assert_eq!(count_hint("一百二十"), Some(120));
        assert_eq!(count_hint("十二"), Some(12));
        assert_eq!(count_hint("若干"), None);
    }

    #[test]
    fn converts_serials() {
        assert_eq!(serial(1.0).unwrap().to_string(), "1900-01-01");
        assert_eq!(serial(59.0).unwrap().to_string(), "1900-02-28");
        assert_eq!(serial(61.0).unwrap().to_string(), "1900-03-01");
        assert_eq!(serial(42536.0).unwrap().to_string(), "2016-06-15");
        assert_eq!(serial(2_958_465.0).unwrap().to_string(), "9999-12-31");
    }

    #[test]
    fn column_names() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    /// What `export` writes in each keyword column, `import` reads back as
    /// the same value.
    #[test]
    fn every_word_the_export_writes_reads_back_as_the_same_value() {
        use crate::export::{form_word, kind_word, level_word, status_word};
        for &k in Kind::ALL {
            assert_eq!(kind(kind_word(k)), Some(k), "{k:?}");
        }
        for &s in Status::ALL {
            assert_eq!(status(status_word(s)), Some(s), "{s:?}");
        }
        for &l in Level::ALL {
            assert_eq!(
                party_org_kind(level_word(l)),
                Some((Some(l), None)),
                "{l:?}"
            );
        }
        for &f in Form::ALL {
            assert_eq!(party_org_kind(form_word(f)), Some((None, Some(f))), "{f:?}");
        }
        // Ledgers write the general branch both ways.
        for w in ["党总支部", "党总支"] {
            assert_eq!(party_org_kind(w), Some((Some(Level::GeneralBranch), None)));
        }
    }

    #[test]
    fn party_org_kinds() {
        assert_eq!(party_org_kind("单独组建"), Some((None, Some(Form::Single))));
        assert_eq!(
            party_org_kind("联合党支部"),
            Some((Some(Level::Branch), Some(Form::Joint)))
        );
        assert_eq!(
            level_from_name("新能源汽车产业党总支部"),
            Some(Level::GeneralBranch)
        );
        assert_eq!(level_from_name("示例企业 0001 党支部"), Some(Level::Branch));
        assert_eq!(
            level_from_name("区园区非公企业党委"),
            Some(Level::Committee)
        );
    }
}
