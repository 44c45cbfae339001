//! Japan's municipalities by JIS X 0402 code (全国地方公共団体コード): cities,
//! towns, villages, Tokyo's special wards and the wards of designated cities,
//! each under its prefecture (the code's first two digits, JIS X 0401).
//!
//! The list is embedded (`data/municipalities.csv`, 1,916 entries, sorted by
//! code). It is the Ministry of Internal Affairs and Communications' list as
//! of 1 May 2019 (令和元年5月1日), as shipped in `japan_address/data/
//! local_government.csv` of the PyPI package `japan_address` 0.7.2 (MIT
//! licence, see `data/municipalities.LICENSE`), with the check digit dropped
//! from the six-digit code and the prefecture column dropped (the code says it).
//! 2011's municipalities (石巻市, 南相馬市, 大槌町 ...) are all in it; mergers
//! since 2019 are not.

use std::sync::OnceLock;

use serde::Serialize;
use ts_rs::TS;

use crate::fold::fold;

const DATA: &str = include_str!("../data/municipalities.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Municipality {
    /// Five-digit JIS X 0402 code, e.g. 04202 for 石巻市.
    pub code: &'static str,
    /// The JIS X 0401 code of its prefecture, e.g. 04.
    pub prefecture_code: &'static str,
    /// The district (郡) of a town or village, e.g. 上閉伊郡; empty for cities.
    pub county: &'static str,
    /// Its name as written, e.g. 大槌町, 仙台市青葉区.
    pub name: &'static str,
}

struct List {
    entries: Vec<Municipality>,
    /// Per entry, its name and its district + name, folded: typed names are
    /// compared with these (a bulk import checks every site's).
    keys: Vec<(String, String)>,
}

fn list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(|| {
        let entries: Vec<Municipality> = DATA
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cols = line.split(',');
                let (code, county, name) = (cols.next()?, cols.next()?, cols.next()?);
                Some(Municipality { code, prefecture_code: code.get(..2)?, county, name })
            })
            .collect();
        let keys = entries.iter().map(|m| (key(m.name), key(&format!("{}{}", m.county, m.name)))).collect();
        List { entries, keys }
    })
}

/// Every municipality, by code.
pub fn all() -> &'static [Municipality] {
    &list().entries
}

/// The range of `all()` holding one prefecture's municipalities.
fn range_of(prefecture_code: &str) -> std::ops::Range<usize> {
    let list = all();
    list.partition_point(|m| m.prefecture_code < prefecture_code)
        ..list.partition_point(|m| m.prefecture_code <= prefecture_code)
}

/// The municipalities of one prefecture (by its JIS X 0401 code), by code.
pub fn of_prefecture(prefecture_code: &str) -> &'static [Municipality] {
    &all()[range_of(prefecture_code)]
}

/// A name as compared: NFKC and kana folded, spaces ignored.
fn key(typed: &str) -> String {
    fold(typed).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The entries in `range` whose name, or district and name, is `typed`.
fn matching(range: std::ops::Range<usize>, typed: &str) -> impl Iterator<Item = &'static Municipality> {
    let key = key(typed);
    let l = list();
    range.filter(move |&i| l.keys[i].0 == key || l.keys[i].1 == key).map(move |i| &l.entries[i])
}

/// The municipality of this prefecture that `typed` names.
pub fn find(prefecture_code: &str, typed: &str) -> Option<&'static Municipality> {
    matching(range_of(prefecture_code), typed).next()
}

/// Every municipality anywhere that `typed` names (for saying where a
/// municipality given under the wrong prefecture is).
pub fn find_anywhere(typed: &str) -> Vec<&'static Municipality> {
    matching(0..all().len(), typed).collect()
}

/// The JIS code of a stored municipality name in its prefecture, for
/// ordering lists by code; `None` for a name not in the list.
pub fn code_of(prefecture_code: &str, name: &str) -> Option<&'static str> {
    find(prefecture_code, name).map(|m| m.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_whole_and_sorted() {
        let list = all();
        assert_eq!(list.len(), 1916);
        assert!(list.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(of_prefecture("03").first().map(|m| m.name), Some("盛岡市"));
        assert!(of_prefecture("47").iter().all(|m| m.code.starts_with("47")));
    }

    #[test]
    fn real_names_under_their_prefectures() {
        assert_eq!(find("03", "大槌町").map(|m| (m.code, m.county)), Some(("03461", "上閉伊郡")));
        assert_eq!(find("03", "上閉伊郡大槌町").map(|m| m.code), Some("03461"));
        assert_eq!(find("04", "石巻市").map(|m| m.code), Some("04202"));
        assert_eq!(find("07", "南相馬市").map(|m| m.code), Some("07212"));
        assert_eq!(find("04", "仙台市青葉区").map(|m| m.code), Some("04101"));
        assert_eq!(find("03", "石巻市"), None);
        assert_eq!(find_anywhere("石巻市").iter().map(|m| m.prefecture_code).collect::<Vec<_>>(), vec!["04"]);
        // 府中市 is in both Tokyo and Hiroshima.
        assert_eq!(find_anywhere("府中市").len(), 2);
    }
}
