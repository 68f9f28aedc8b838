//! A parent name that is a slip of another (no tree sheet): within one or
//! two characters of a name above the branches, or of a parent name that
//! more rows give. It is reported at its cell with the name it is likely
//! meant to be, rather than becoming a node of its own.

use std::collections::HashMap;

use super::{Draft, TreeInput};
use crate::model::Level;

/// Parent names that are slips of another name (no tree sheet): within
/// one or two characters of a name above the branches, or of a parent
/// name more rows give. A slip names the name it is likely meant to be.
pub(super) fn slips(input: &TreeInput, drafts: &[Draft]) -> HashMap<String, String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for o in input.orgs {
        if let Some(p) = &o.branch_parent {
            *count.entry(p.v.as_str()).or_default() += 1;
        }
    }
    let nodes: Vec<&str> = drafts
        .iter()
        .filter(|d| d.level > Level::Branch)
        .map(|d| d.name.as_str())
        .chain(input.top)
        .collect();
    let mut out = HashMap::new();
    for (&name, &n) in &count {
        if nodes.contains(&name) {
            continue;
        }
        let more_named = count.iter().filter(|(_, &m)| m > n).map(|(&k, _)| k);
        let near = nodes
            .iter()
            .copied()
            .chain(more_named)
            .filter(|other| *other != name)
            .filter_map(|other| close(name, other).map(|d| (d, other)))
            .min();
        if let Some((_, other)) = near {
            out.insert(name.to_string(), other.to_string());
        }
    }
    out
}

/// The edit distance of two names when it is one or two characters and
/// small beside their length (two in a name of eight or more).
fn close(a: &str, b: &str) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let len = a.len().min(b.len());
    if a.len().abs_diff(b.len()) > 2 || len < 4 {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    let d = prev[b.len()];
    ((1..=2).contains(&d) && d * 4 <= len).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::close;

    #[test]
    fn one_or_two_characters_off_in_a_long_enough_name() {
        assert_eq!(
            close("蟠龙镇非公企业党总枝", "蟠龙镇非公企业党总支"),
            Some(1)
        );
        assert_eq!(close("蟠龙镇非公企业党总", "蟠龙镇非公企业党总支"), Some(1));
        assert_eq!(
            close("经开区非公企业综和党组", "经开区非公企业综合党委"),
            Some(2)
        );
        // Two townships' general branches are two organizations.
        assert_eq!(
            close("蟠龙镇非公企业党总支", "凤岗街道非公企业党总支"),
            None
        );
        // Two characters off in a short name is another name.
        assert_eq!(close("甲镇党委", "乙镇工委"), None);
        assert_eq!(close("同一个名称", "同一个名称"), None);
    }
}
