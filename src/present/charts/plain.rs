//! Charts of figures that come from no register of the site (a roll-up's
//! members), drawn, labelled and tabled like the chart set's.

use super::{csv_field, draw, label_svg, trim};
use crate::present::format::Formatter;

/// A chart drawn from figures that come from no register of this site (a
/// roll-up's members): the same bars, labels, CSV and PNG as the set's.
pub struct Plain {
    /// Its file name under `charts/`, without extension.
    pub id: String,
    pub title: String,
    pub svg: String,
    pub csv: Vec<u8>,
}

/// One horizontal bar per category. `rate` draws percentages of 1.
pub fn plain_bars(id: &str, f: &Formatter, cats: &[String], values: &[f64], rate: bool) -> Plain {
    let key = format!("chart_{}", id.replace('-', "_"));
    let (title, desc) = (f.t(&key), f.t(&format!("{key}_desc")));
    let series = [draw::Series {
        name: f.t(&format!("{key}_series")),
        color: draw::colors::BLUE,
        values: values
            .iter()
            .map(|v| if rate { v * 100.0 } else { *v })
            .collect(),
    }];
    let fmt_rate = |v: f64| format!("{}%", trim(v));
    let fmt_count = |v: f64| f.count(v.round());
    let fmt: draw::Fmt = if rate { &fmt_rate } else { &fmt_count };
    let axis = f.t(if rate {
        "chart_axis_percent"
    } else {
        "chart_axis_party_orgs"
    });
    let svg = draw::rows(draw::WIDE, &title, cats, &series, &axis, fmt, true);
    let mut csv = String::from("\u{feff}");
    csv.push_str(&format!(
        "{},{}\r\n",
        csv_field(&f.t("col_name")),
        csv_field(&series[0].name)
    ));
    for (c, v) in cats.iter().zip(values) {
        let v = if rate {
            format!("{}%", trim(v * 100.0))
        } else {
            format!("{v}")
        };
        csv.push_str(&format!("{},{}\r\n", csv_field(c), v));
    }
    Plain {
        id: id.to_string(),
        svg: label_svg(&svg, id, "plain", &title, &desc),
        title,
        csv: csv.into_bytes(),
    }
}
