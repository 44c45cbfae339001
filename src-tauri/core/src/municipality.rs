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
    /// Per prefecture (by its number), the folded name and district + name of
    /// each of its entries, made on first use: typed names are compared with
    /// these (a bulk import checks every site's), while folding all 1,916 up
    /// front would be most of a one-page report's start-up.
    keys: Vec<OnceLock<Vec<(String, String)>>>,
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
        List { entries, keys: (0..=PREFECTURES).map(|_| OnceLock::new()).collect() }
    })
}

/// JIS X 0401 numbers prefectures 01 to 47.
const PREFECTURES: usize = 47;

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

/// The entries of one prefecture whose name, or district and name, is
/// `typed`; a stored name is found as written before anything is folded.
fn matching(prefecture_code: &str, typed: &str) -> Vec<&'static Municipality> {
    let l = list();
    let entries = &l.entries[range_of(prefecture_code)];
    let exact: Vec<_> = entries.iter().filter(|m| m.name == typed).collect();
    if !exact.is_empty() {
        return exact;
    }
    // The slot of the prefecture the range holds, so that "4" and "04" cannot
    // fill one prefecture's keys with another's entries.
    let slot = entries.first().and_then(|m| m.prefecture_code.parse::<usize>().ok());
    let Some(keys) = slot.and_then(|n| l.keys.get(n)) else {
        return Vec::new();
    };
    let keys =
        keys.get_or_init(|| entries.iter().map(|m| (key(m.name), key(&format!("{}{}", m.county, m.name)))).collect());
    let key = key(typed);
    entries.iter().zip(keys).filter(|(_, k)| k.0 == key || k.1 == key).map(|(m, _)| m).collect()
}

/// The municipality of this prefecture that `typed` names.
pub fn find(prefecture_code: &str, typed: &str) -> Option<&'static Municipality> {
    matching(prefecture_code, typed).into_iter().next()
}

/// Every municipality anywhere that `typed` names (for saying where a
/// municipality given under the wrong prefecture is).
pub fn find_anywhere(typed: &str) -> Vec<&'static Municipality> {
    (1..=PREFECTURES).flat_map(|n| matching(&format!("{n:02}"), typed)).collect()
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
        // A code without its leading zero names no prefecture, and does not
        // spoil the one it resembles.
        assert_eq!(find("4", "石巻市"), None);
        assert_eq!(find("04", "石巻市").map(|m| m.code), Some("04202"));
        // Typed with spaces around and inside, still found.
        assert_eq!(find("03", " 上閉伊郡 大槌町 ").map(|m| m.code), Some("03461"));
        // 府中市 is in both Tokyo and Hiroshima.
        assert_eq!(find_anywhere("府中市").len(), 2);
    }
}
