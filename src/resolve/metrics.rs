//! Resolving `metrics.yaml`: the data's `as_of` date, declared figures that
//! the registers can derive (reconciled later) and indicators that they
//! cannot (shown as declared).

use std::collections::HashMap;

use super::fields::{top_level_list, Record, What};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::{Value, YamlFile};
use crate::model::{Date, FigureKey, Measure, Metric, Scope};

const METRIC_FIELDS: &[&str] = &["key", "value", "label", "unit"];

pub struct Metrics {
    pub as_of: Option<Date>,
    pub items: Vec<Metric>,
}

/// Splits `enterprise.coverage_rate` into a derivable key. `Ok(None)` means
/// the key is outside the derivable namespace (an indicator); `Err` carries
/// the help for a derivable scope with an unknown measure.
pub fn parse_key(key: &str) -> Result<Option<FigureKey>, String> {
    let Some((scope, measure)) = key.split_once('.') else {
        return Ok(None);
    };
    let Some(scope) = Scope::parse(scope) else {
        return Ok(None);
    };
    match Measure::parse(measure) {
        Some(measure) => Ok(Some(FigureKey { scope, measure })),
        None => Err(
            match did_you_mean(measure, Measure::NAMES.iter().copied()) {
                Some(s) => crate::msg!(
                    "metric.measures.did_you_mean",
                    guess = format_args!("{}.{s}", scope.as_str()),
                    measures = Measure::NAMES.join(", ")
                ),
                None => crate::msg!(
                    "metric.measures",
                    measures = Measure::NAMES.join(", "),
                    scope = scope.as_str()
                ),
            },
        ),
    }
}

pub fn metrics(file: &YamlFile, year: i32, out: &mut Vec<Diagnostic>) -> Metrics {
    let path = file.path.as_path();
    let mut as_of = None;
    if let Value::Map(entries) = &file.root.value {
        match entries.iter().find(|(k, _)| k.as_str() == Some("as_of")) {
            Some((_, v)) => match v.as_str().and_then(Date::parse) {
                Some(d) if d.year == year => as_of = Some(d),
                Some(d) => out.push(
                    Diagnostic::error(
                        v.span(path),
                        crate::msg!("metric.as_of_outside", date = d, year = year),
                    )
                    .help(crate::msg!("metric.as_of_outside.help", year = year)),
                ),
                None => out.push(
                    Diagnostic::error(
                        v.span(path),
                        crate::msg!("field.not_date", name = "as_of", found = v.value.describe()),
                    )
                    .help(crate::msg!("metric.as_of_not_date.help")),
                ),
            },
            None => out.push(
                Diagnostic::error(file.root.span(path), crate::msg!("metric.as_of_missing"))
                    .help(crate::msg!("metric.as_of_missing.help", year = year)),
            ),
        }
    } else if file.root.value == Value::Null {
        // An empty file: without `as_of` the year cannot be presented.
        out.push(
            Diagnostic::error(file.root.span(path), crate::msg!("metric.as_of_missing"))
                .help(crate::msg!("metric.as_of_missing.help", year = year)),
        );
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut items = Vec::new();
    for node in top_level_list(path, &file.root, "metrics", &["as_of"], out) {
        let mut rec = match Record::open(path, node, What::Metric) {
            Ok(r) => r,
            Err(d) => {
                out.push(d);
                continue;
            }
        };
        let key = rec.required_string("key", "instructors.part_time");
        let value = if rec.get("value").is_some() {
            rec.number("value")
        } else {
            rec.required_string("value", "217");
            None
        };
        let label = rec.string("label").map(|(s, _)| s);
        let unit = rec.string("unit").map(|(s, _)| s);
        let mut derivable = None;
        let mut ok = true;
        if let Some((key, knode)) = &key {
            if let Some(first) = seen.get(key) {
                rec.error(
                    knode,
                    crate::msg!("metric.twice", key = key),
                    crate::msg!("metric.twice.help", line = first),
                );
                ok = false;
            } else {
                seen.insert(key.clone(), knode.line);
            }
            match parse_key(key) {
                Ok(None) => {
                    if let Some(meant) = misspelt_scope(key) {
                        out.push(
                            Diagnostic::warning(
                                knode.span(path),
                                crate::msg!("metric.read_as_indicator", key = key),
                            )
                            .help(crate::msg!(
                                "metric.read_as_indicator.help",
                                guess = meant,
                                scopes = Scope::NAMES.join(", ")
                            )),
                        );
                    }
                }
                Ok(d) => derivable = d,
                Err(help) => {
                    rec.error(
                        knode,
                        crate::msg!("metric.unknown_measure", key = key),
                        help,
                    );
                    ok = false;
                }
            }
        }
        if let (Some(fk), Some((v, vnode))) = (derivable, value) {
            if fk.measure.is_rate() && !(0.0..=1.0).contains(&v) {
                rec.error(
                    vnode,
                    crate::msg!("metric.rate_range", key = fk, value = v),
                    crate::msg!("metric.rate_range.help"),
                );
                ok = false;
            } else if !fk.measure.is_rate() && (v < 0.0 || v.fract() != 0.0) {
                rec.error(
                    vnode,
                    crate::msg!("metric.count_whole", key = fk, value = v),
                    crate::msg!("metric.count_whole.help"),
                );
                ok = false;
            }
        }
        let span = value.map_or_else(|| rec.span(), |(_, n)| n.span(path));
        let problems = rec.finish(METRIC_FIELDS);
        ok &= problems.is_empty();
        out.extend(problems);
        if let (true, Some((key, _)), Some((value, _))) = (ok, key, value) {
            items.push(Metric {
                key,
                label,
                value,
                unit,
                derivable,
                span,
            });
        }
    }
    Metrics { as_of, items }
}

/// `enterprises.base`: a known measure after a near miss of a scope.
fn misspelt_scope(key: &str) -> Option<String> {
    let (scope, measure) = key.split_once('.')?;
    Measure::parse(measure)?;
    let meant = did_you_mean(scope, Scope::NAMES.iter().copied())?;
    Some(format!("{meant}.{measure}"))
}
