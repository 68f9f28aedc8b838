//! The ledger vocabulary: the Chinese words an office's spreadsheets use for
//! each kind, status, level and form, and the column headers of the
//! registers' sheets. `export` writes the first word of each entry,
//! `import` reads every spelling listed (and the English value of the data
//! format); the site and the briefing name each value through its i18n key
//! (`label_key()` of the model's enums). One table, read in both
//! directions, so the two commands cannot drift apart.

use crate::model::{Form, Kind, Level, Status};

/// The words of one value: `words[0]` is written, every one is read.
pub struct Entry<T: 'static> {
    pub value: T,
    pub words: &'static [&'static str],
}

pub const KINDS: &[Entry<Kind>] = &[
    Entry {
        value: Kind::Enterprise,
        words: &[
            "企业",
            "非公企业",
            "非公有制企业",
            "民营企业",
            "私营企业",
            "公司",
            "非公",
            "非公有制经济组织",
            "非公经济组织",
        ],
    },
    Entry {
        value: Kind::SocialOrg,
        words: &[
            "社会组织",
            "社团",
            "社会团体",
            "民办非企业单位",
            "民办非企业",
            "民非",
            "基金会",
        ],
    },
    Entry {
        value: Kind::Individual,
        words: &["个体工商户", "个体户", "个体", "个体经营户"],
    },
];

pub const STATUSES: &[Entry<Status>] = &[
    Entry {
        value: Status::Active,
        words: &[
            "正常",
            "在营",
            "存续",
            "开业",
            "营业",
            "正常经营",
            "在业",
            "有效",
        ],
    },
    Entry {
        value: Status::Shell,
        words: &["空壳", "空壳企业", "空壳组织"],
    },
    Entry {
        value: Status::Zombie,
        words: &["僵尸", "僵尸企业", "僵尸组织"],
    },
    Entry {
        value: Status::Duplicate,
        words: &["重复注册", "重复", "重复登记"],
    },
];

pub const LEVELS: &[Entry<Level>] = &[
    Entry {
        value: Level::WorkCommittee,
        words: &["工委", "党工委", "工作委员会"],
    },
    Entry {
        value: Level::Committee,
        words: &["党委", "党委员会", "基层党委"],
    },
    Entry {
        value: Level::GeneralBranch,
        words: &["党总支部", "党总支", "总支", "党总支部委员会"],
    },
    Entry {
        value: Level::Branch,
        words: &["党支部", "支部"],
    },
];

pub const FORMS: &[Entry<Form>] = &[
    Entry {
        value: Form::Single,
        words: &["单独组建", "单建", "独立组建", "单独建立", "单独", "独建"],
    },
    Entry {
        value: Form::Joint,
        words: &["联合组建", "联建", "联合建立", "联合"],
    },
];

/// The word `export` writes for `value`.
pub fn word<T: PartialEq + Copy>(table: &[Entry<T>], value: T) -> &'static str {
    table
        .iter()
        .find(|e| e.value == value)
        .map_or("", |e| e.words[0])
}

/// The value a (normalized) word stands for.
pub fn read<T: Copy>(table: &[Entry<T>], word: &str) -> Option<T> {
    table
        .iter()
        .find(|e| e.words.contains(&word))
        .map(|e| e.value)
}

/// The written word of each value, then the English values of the data
/// format: what "did you mean" suggests.
pub fn suggestions<T: Copy>(
    table: &[Entry<T>],
    english: impl Fn(T) -> &'static str,
) -> Vec<&'static str> {
    let mut out: Vec<&str> = table.iter().map(|e| e.words[0]).collect();
    out.extend(table.iter().map(|e| english(e.value)));
    out
}

/// The sheets of an exported workbook and their headers: the recorded
/// columns that `import` reads, then the derived ones it skips.
pub const ORG_SHEET: &str = "组织名录";
pub const BRANCH_SHEET: &str = "党组织";

pub const ORG_HEADERS: &[&str] = &[
    "标识",
    "单位名称",
    "类型",
    "所属乡镇/街道",
    "是否在园区",
    "行业",
    "从业人员",
    "党员人数",
    "状态",
    "党组织名称",
    "党建指导员",
];
pub const ORG_DERIVED: &[&str] = &["纳入基数", "覆盖方式", "组织覆盖", "工作覆盖"];

pub const BRANCH_HEADERS: &[&str] = &[
    "标识",
    "党组织名称",
    "层级",
    "上级党组织",
    "党组织类型",
    "成立时间",
    "党员人数",
];
pub const BRANCH_DERIVED: &[&str] = &["直接覆盖组织数", "下辖覆盖组织数", "本年新建"];

/// The private fields (an organization's `private:`) that have a column
/// name of their own: the key, then the header `export --include-private`
/// writes and `import` reads back into that key. Any other key is written
/// under the header `private.<key>`, the name a mapping file gives it.
pub const PRIVATE_HEADERS: &[(&str, &str)] = &[
    ("contact", "联系人"),
    ("phone", "联系电话"),
    ("address", "地址"),
    ("credit_code", "统一社会信用代码"),
    ("legal_rep", "法定代表人"),
    ("secretary", "党组织书记"),
    ("note", "备注"),
];

/// The column header of the private field `key`.
pub fn private_header(key: &str) -> String {
    PRIVATE_HEADERS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| format!("{PRIVATE_PREFIX}{key}"), |(_, h)| h.to_string())
}

/// How a header names a private field that has no column name of its own.
pub const PRIVATE_PREFIX: &str = "private.";

/// The words a sheet holding private fields carries in its title row and
/// in its printed header.
pub const INTERNAL: &str = "内部资料";

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: PartialEq + Copy + std::fmt::Debug>(table: &[Entry<T>]) {
        for e in table {
            assert_eq!(read(table, word(table, e.value)), Some(e.value));
            for w in e.words {
                assert_eq!(read(table, w), Some(e.value), "{w}");
            }
        }
    }

    #[test]
    fn every_written_word_reads_back_as_its_value() {
        round_trips(KINDS);
        round_trips(STATUSES);
        round_trips(LEVELS);
        round_trips(FORMS);
    }

    #[test]
    fn a_word_stands_for_one_value_only() {
        let all: Vec<&str> = [
            KINDS.iter().flat_map(|e| e.words).collect::<Vec<_>>(),
            STATUSES.iter().flat_map(|e| e.words).collect(),
            LEVELS.iter().flat_map(|e| e.words).collect(),
            FORMS.iter().flat_map(|e| e.words).collect(),
        ]
        .concat()
        .into_iter()
        .copied()
        .collect();
        let mut sorted = all.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len(), "a word appears twice");
    }

    #[test]
    fn both_spellings_of_the_general_branch_are_read() {
        assert_eq!(read(LEVELS, "党总支部"), Some(Level::GeneralBranch));
        assert_eq!(read(LEVELS, "党总支"), Some(Level::GeneralBranch));
        assert_eq!(word(LEVELS, Level::GeneralBranch), "党总支部");
    }

    #[test]
    fn every_label_is_in_the_catalogues() {
        for lang in ["zh-CN", "en"] {
            let path = format!(
                "{}/themes/default/i18n/{lang}.yaml",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(path).unwrap();
            let labels = KINDS
                .iter()
                .map(|e| e.value.label_key())
                .chain(STATUSES.iter().map(|e| e.value.label_key()))
                .chain(LEVELS.iter().map(|e| e.value.label_key()))
                .chain(FORMS.iter().map(|e| e.value.label_key()));
            for l in labels {
                assert!(text.contains(&format!("\n{l}: ")), "{lang}: {l}");
            }
        }
    }
}
