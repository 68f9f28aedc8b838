//! Numbers, rates and interface strings in the site's language.

use std::collections::BTreeMap;

use crate::model::{Date, FigureKey, Language, Metric};

pub struct Formatter {
    pub language: Language,
    strings: BTreeMap<String, String>,
}

impl Formatter {
    pub fn new(language: Language, strings: BTreeMap<String, String>) -> Self {
        Formatter { language, strings }
    }

    pub fn strings(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    /// An interface string; a missing key shows itself so it is noticed
    /// (and the i18n test fails on it).
    pub fn t(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Whole numbers group thousands from five digits on, so that years
    /// (2016) print as years; other numbers keep up to two decimals.
    pub fn count(&self, v: f64) -> String {
        if v.fract() != 0.0 {
            let s = format!("{v:.2}");
            return s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        let digits = format!("{}", v.abs() as u64);
        let sign = if v < 0.0 { "-" } else { "" };
        if digits.len() < 5 {
            return format!("{sign}{digits}");
        }
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}")
    }

    /// A date as the language writes it: 2016年11月30日, 30 November 2016.
    pub fn date(&self, d: Date) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        match self.language {
            Language::ZhCn => format!("{}年{}月{}日", d.year, d.month, d.day),
            Language::En => {
                let month = MONTHS.get(d.month as usize - 1).copied().unwrap_or("?");
                format!("{} {month} {}", d.day, d.year)
            }
        }
    }

    /// A rate (0..1) as a percentage. The site's one rule for rates and
    /// their changes (README.md, "Numbers"): rounded to one decimal, a
    /// trailing ".0" left out (100%, 47.3%); changes of rates in percentage
    /// points by the same rule (`points`).
    pub fn rate(&self, v: Option<f64>) -> String {
        match v {
            None => "—".to_string(),
            Some(v) => {
                let s = format!("{:.1}", v * 100.0);
                format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
            }
        }
    }

    /// A change of a rate, in percentage points.
    pub fn points(&self, v: f64) -> String {
        let s = format!("{:.1}", v * 100.0);
        format!(
            "{}{}",
            s.strip_suffix(".0").unwrap_or(&s),
            self.t("unit_points")
        )
    }

    pub fn figure(&self, key: FigureKey, v: Option<f64>) -> String {
        if key.measure.is_rate() {
            self.rate(v)
        } else {
            v.map_or("—".to_string(), |v| self.count(v))
        }
    }

    /// A declared metric with its unit: Chinese units follow the number
    /// directly (217名), other languages after a space.
    pub fn declared(&self, m: &Metric) -> String {
        if let Some(key) = m.derivable {
            return self.figure(key, Some(m.value));
        }
        let n = self.count(m.value);
        match m.unit.as_deref() {
            None | Some("") => n,
            Some(u) if self.language == Language::ZhCn || u == "%" => format!("{n}{u}"),
            Some(u) => format!("{n} {u}"),
        }
    }

    /// The readable name of a derivable key, from the i18n strings.
    pub fn key_label(&self, key: FigureKey) -> String {
        let scope = self.t(key.scope.label_key());
        let measure = self.t(key.measure.label_key());
        if self.language == Language::ZhCn {
            format!("{scope}{measure}")
        } else {
            format!("{scope}: {measure}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f() -> Formatter {
        Formatter::new(Language::ZhCn, BTreeMap::new())
    }

    #[test]
    fn groups_thousands_but_not_years() {
        assert_eq!(f().count(2016.0), "2016");
        assert_eq!(f().count(330000.0), "330,000");
        assert_eq!(f().count(202.3), "202.3");
        assert_eq!(f().count(4.7307), "4.73");
    }

    #[test]
    fn writes_dates_for_the_language() {
        let d = Date {
            year: 2016,
            month: 11,
            day: 30,
        };
        assert_eq!(f().date(d), "2016年11月30日");
        let en = Formatter::new(Language::En, BTreeMap::new());
        assert_eq!(en.date(d), "30 November 2016");
        assert_eq!(en.count(330000.0), "330,000");
    }

    #[test]
    fn prints_rates_as_percentages() {
        assert_eq!(f().rate(Some(1.0)), "100%");
        assert_eq!(f().rate(Some(0.4731)), "47.3%");
        assert_eq!(f().rate(None), "—");
    }
}
