//! Japan's prefectures by JIS X 0401 code. The code is what is stored; the
//! English and Japanese names are accepted on input and used for display.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::fold::fold;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[ts(export)]
pub struct Prefecture {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_ja: &'static str,
}

const fn p(code: &'static str, name_en: &'static str, name_ja: &'static str) -> Prefecture {
    Prefecture { code, name_en, name_ja }
}

pub const PREFECTURES: [Prefecture; 47] = [
    p("01", "Hokkaido", "北海道"),
    p("02", "Aomori", "青森県"),
    p("03", "Iwate", "岩手県"),
    p("04", "Miyagi", "宮城県"),
    p("05", "Akita", "秋田県"),
    p("06", "Yamagata", "山形県"),
    p("07", "Fukushima", "福島県"),
    p("08", "Ibaraki", "茨城県"),
    p("09", "Tochigi", "栃木県"),
    p("10", "Gunma", "群馬県"),
    p("11", "Saitama", "埼玉県"),
    p("12", "Chiba", "千葉県"),
    p("13", "Tokyo", "東京都"),
    p("14", "Kanagawa", "神奈川県"),
    p("15", "Niigata", "新潟県"),
    p("16", "Toyama", "富山県"),
    p("17", "Ishikawa", "石川県"),
    p("18", "Fukui", "福井県"),
    p("19", "Yamanashi", "山梨県"),
    p("20", "Nagano", "長野県"),
    p("21", "Gifu", "岐阜県"),
    p("22", "Shizuoka", "静岡県"),
    p("23", "Aichi", "愛知県"),
    p("24", "Mie", "三重県"),
    p("25", "Shiga", "滋賀県"),
    p("26", "Kyoto", "京都府"),
    p("27", "Osaka", "大阪府"),
    p("28", "Hyogo", "兵庫県"),
    p("29", "Nara", "奈良県"),
    p("30", "Wakayama", "和歌山県"),
    p("31", "Tottori", "鳥取県"),
    p("32", "Shimane", "島根県"),
    p("33", "Okayama", "岡山県"),
    p("34", "Hiroshima", "広島県"),
    p("35", "Yamaguchi", "山口県"),
    p("36", "Tokushima", "徳島県"),
    p("37", "Kagawa", "香川県"),
    p("38", "Ehime", "愛媛県"),
    p("39", "Kochi", "高知県"),
    p("40", "Fukuoka", "福岡県"),
    p("41", "Saga", "佐賀県"),
    p("42", "Nagasaki", "長崎県"),
    p("43", "Kumamoto", "熊本県"),
    p("44", "Oita", "大分県"),
    p("45", "Miyazaki", "宮崎県"),
    p("46", "Kagoshima", "鹿児島県"),
    p("47", "Okinawa", "沖縄県"),
];

/// The three prefectures the 2011 response centred on, in the order reports list them.
pub const AFFECTED: [&str; 3] = ["03", "04", "07"];

impl Prefecture {
    /// Accepts a JIS code (`4`, `04`), an English name in any case (`miyagi`,
    /// `Miyagi-ken`), or a Japanese name with or without its suffix (`宮城県`, `宮城`).
    pub fn parse(input: &str) -> Result<Prefecture> {
        let exact = input.trim();
        // Bulk imports pass canonical spellings: answer those without folding.
        if let Some(p) = PREFECTURES.iter().find(|p| p.code == exact || p.name_en == exact || p.name_ja == exact) {
            return Ok(*p);
        }
        let raw = fold(exact);
        if raw.is_empty() {
            return Err(Error::invalid("prefecture", "is empty"));
        }
        if raw.chars().all(|c| c.is_ascii_digit())
            && raw.len() <= 2
            && let Some(p) = PREFECTURES.iter().find(|p| p.code.trim_start_matches('0') == raw.trim_start_matches('0'))
        {
            return Ok(*p);
        }
        let en = raw
            .trim_end_matches(" prefecture")
            .trim_end_matches("-ken")
            .trim_end_matches("-to")
            .trim_end_matches("-fu")
            .trim_end_matches("-do");
        for p in PREFECTURES.iter() {
            let ja = fold(p.name_ja);
            let ja_stem =
                if p.code == "01" { ja.clone() } else { ja.trim_end_matches(['県', '都', '府']).to_string() };
            if en == p.name_en.to_ascii_lowercase() || raw == ja || raw == ja_stem {
                return Ok(*p);
            }
        }
        Err(Error::invalid(
            "prefecture",
            format!(
                "unknown prefecture '{}': use a JIS code (01-47), an English name (Miyagi) or a Japanese name (宮城県)",
                input.trim()
            ),
        ))
    }

    pub fn by_code(code: &str) -> Option<Prefecture> {
        PREFECTURES.iter().find(|p| p.code == code).copied()
    }
}
