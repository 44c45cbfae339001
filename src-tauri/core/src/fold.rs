//! Search folding: one key under which the spellings a Japanese user treats
//! as the same thing compare equal. NFKC unifies full-width and half-width
//! forms (ＮＰＯ → NPO, ｶﾀｶﾅ → カタカナ); katakana is then mapped to hiragana
//! and Latin letters lower-cased, so ふくしま, フクシマ and ﾌｸｼﾏ all match.
//! `org_name_key` goes further for organisation names: it also drops legal
//! forms (特定非営利活動法人, (特非), NPO法人, Inc. ...) and spaces, so two
//! spellings of one organisation get one key (the duplicate-member check).

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Most text is NFKC already (all ASCII is): the quick check is several
    // times cheaper than normalising, and sync folds every arriving site.
    if s.is_ascii() || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        s.chars().for_each(|c| push_folded(&mut out, c));
    } else {
        s.nfkc().for_each(|c| push_folded(&mut out, c));
    }
    out
}

fn push_folded(out: &mut String, c: char) {
    match c {
        // ASCII first: most keys are mostly ASCII, and `to_lowercase` searches a table.
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        '\0'..='\x7f' if !c.is_whitespace() => out.push(c),
        // Katakana ァ..ヶ sit exactly 0x60 above their hiragana.
        '\u{30A1}'..='\u{30F6}' => out.push(char::from_u32(c as u32 - 0x60).unwrap_or(c)),
        // Long vowel mark and middle dot carry no meaning for matching.
        'ー' | '・' => {}
        c if c.is_whitespace() => out.push(' '),
        // Kana and kanji have no case: `to_lowercase` would binary-search
        // its table for every character of a Japanese name (a tenth of a
        // 100k-row import's time, measured with perf).
        '\u{3040}'..='\u{9FFF}' => out.push(c),
        c => out.extend(c.to_lowercase()),
    }
}

/// A key whose plain (code point) order is the gojūon order of a kana
/// reading (あいうえお かきくけこ ...), as a Japanese dictionary orders words:
/// first by the kana with voicing marks and smallness set aside (か = が,
/// つ = っ), ties broken by the full folded spelling (か before が). Katakana
/// and hiragana, full and half width, sort together; the long vowel mark is
/// ignored. Text that is not kana (a name in kanji with no reading) sorts
/// after all kana, by code point. A hand-made key rather than ICU's collator:
/// readings are kana by rule, and the unicode block already is in gojūon
/// order once voicing and small forms are folded.
pub fn kana_order_key(s: &str) -> String {
    let folded = fold(s);
    let primary: String = folded.chars().filter(|c| !c.is_whitespace()).map(kana_base).collect();
    // U+0001 sorts below every character, so a word sorts before its extensions.
    format!("{primary}\u{1}{folded}")
}

/// The plain kana of a voiced, semi-voiced or small hiragana.
fn kana_base(c: char) -> char {
    // Only hiragana has voiced and small forms here (`fold` made katakana
    // hiragana); looking every kanji up in the decomposition table was most
    // of a 10k-site report's ordering (callgrind).
    if !('\u{3041}'..='\u{309F}').contains(&c) {
        return c;
    }
    // NFD splits が into か + U+3099; small kana sit one below their plain form.
    let mut first = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        first.get_or_insert(d);
    });
    let c = first.unwrap_or(c);
    match c {
        'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'っ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' => {
            char::from_u32(c as u32 + 1).unwrap_or(c)
        }
        'ゕ' => 'か',
        'ゖ' => 'け',
        c => c,
    }
}

/// Japanese legal forms, as people write them: dropped wherever they stand.
/// Longer forms come first so that 認定特定非営利活動法人 is not left as 認定.
/// The bracketed abbreviations are matched after NFKC, so （特非） and ㈱
/// (which NFKC turns into (株)) are covered by their ASCII-bracket forms.
const JA_LEGAL_FORMS: &[&str] = &[
    "認定特定非営利活動法人",
    "特定非営利活動法人",
    "認定NPO法人",
    "NPO法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "社団法人",
    "財団法人",
    "学校法人",
    "宗教法人",
    "医療法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "(認定特非)",
    "(特非)",
    "(特活)",
    "(認特)",
    "(一社)",
    "(一財)",
    "(公社)",
    "(公財)",
    "(社福)",
    "(社)",
    "(財)",
    "(株)",
    "(有)",
    "(同)",
];

/// What every folded [`JA_LEGAL_FORMS`] entry contains (a test checks it).
const LEGAL_FORM_MARKS: [&str; 3] = ["法人", "会社", "("];

/// [`JA_LEGAL_FORMS`] as [`fold`] leaves them, folded once: folding them
/// on every call was a quarter of a 100k-row import's time (perf).
fn folded_legal_forms() -> &'static [String] {
    static FOLDED: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| JA_LEGAL_FORMS.iter().map(|f| fold(f)).collect());
    &FOLDED
}

/// English forms, dropped only as whole words at the start (`NPO Sendai
/// Support`) or the end (`Peace Winds Japan, Inc.`): inside a name a word
/// like "NPO" is part of it (Japan NPO Center is not a "Japan Center").
const EN_LEADING_FORMS: &[&str] = &["npo"];
const EN_TRAILING_FORMS: &[&str] = &["npo", "inc", "incorporated", "ltd", "co", "corp", "llc"];

/// The key under which two organisation names are the same organisation:
/// `fold` (NFKC, katakana → hiragana, lower case), legal forms removed,
/// spaces and middle dots removed. A name that is nothing but a legal form
/// keeps its folded, space-free spelling rather than an empty key, so such
/// names are not all one organisation.
pub fn org_name_key(name: &str) -> String {
    let folded = fold(name);
    // Spaces separate ASCII words only; a space next to Japanese text (as in
    // `NPO法人 ジェン` or `認定 NPO法人`) carries nothing and would hide a form.
    let chars: Vec<char> = folded.chars().filter(|c| !is_middle_dot(*c)).collect();
    let mut compact = String::with_capacity(folded.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let between_ascii = matches!((before, after), (Some(b), Some(a)) if b.is_ascii() && a.is_ascii());
            if between_ascii && !compact.ends_with(' ') {
                compact.push(' ');
            }
        } else {
            compact.push(c);
        }
    }
    let mut key = compact;
    // Every Japanese form has one of these; most names none, and then the
    // 33 searches are skipped.
    if LEGAL_FORM_MARKS.iter().any(|m| key.contains(m)) {
        for form in folded_legal_forms() {
            if key.contains(form.as_str()) {
                key = key.replace(form.as_str(), " ");
            }
        }
    }
    let key = strip_english_forms(key.trim());
    let mut key: String = key.chars().filter(|c| !c.is_whitespace()).collect();
    // A form written in brackets of its own, `会（特定非営利活動法人）`, leaves them empty.
    for empty in ["()", "[]", "【】", "〔〕", "「」"] {
        if key.contains(empty) {
            key = key.replace(empty, "");
        }
    }
    if key.is_empty() { folded.chars().filter(|c| !c.is_whitespace() && !is_middle_dot(*c)).collect() } else { key }
}

fn is_middle_dot(c: char) -> bool {
    // ・ and its half-width form are already gone after `fold`.
    matches!(c, '\u{00B7}' | '\u{2027}' | '\u{2022}' | '\u{30FB}' | '\u{FF65}')
}

/// Drops the English legal forms at either end, with the punctuation that
/// goes with them (`, Inc.`, `Co., Ltd.`), as whole ASCII words only.
fn strip_english_forms(s: &str) -> &str {
    let punct = |c: char| c.is_whitespace() || c == '.' || c == ',';
    let mut s = s.trim_matches(punct);
    loop {
        let before = s;
        for form in EN_TRAILING_FORMS {
            if let Some(rest) = s.strip_suffix(form)
                && !rest.is_empty()
                && !rest.ends_with(|c: char| c.is_ascii_alphanumeric())
            {
                s = rest.trim_end_matches(punct);
            }
        }
        for form in EN_LEADING_FORMS {
            if let Some(rest) = s.strip_prefix(form)
                && !rest.is_empty()
                && !rest.starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                s = rest.trim_start_matches(punct);
            }
        }
        if s == before {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{fold, org_name_key};

    #[test]
    fn every_legal_form_carries_a_mark_the_quick_check_looks_for() {
        for form in super::folded_legal_forms() {
            assert!(super::LEGAL_FORM_MARKS.iter().any(|m| form.contains(m)), "{form}");
        }
    }

    #[test]
    fn legal_forms_are_dropped_wherever_they_stand() {
        let plain = org_name_key("難民を助ける会");
        for spelling in [
            "特定非営利活動法人 難民を助ける会",
            "特定非営利活動法人難民を助ける会",
            "難民を助ける会（特定非営利活動法人）",
            "（特非）難民を助ける会",
            "(特非) 難民を助ける会",
            "難民を助ける会(特非)",
            "NPO法人難民を助ける会",
            "ＮＰＯ法人　難民を助ける会",
            "NPO 法人 難民を助ける会",
            "認定NPO法人 難民を助ける会",
            "認定 NPO法人 難民を助ける会",
            "認定特定非営利活動法人難民を助ける会",
            "難民を助ける会 認定NPO法人",
        ] {
            assert_eq!(org_name_key(spelling), plain, "{spelling}");
        }
        assert_eq!(org_name_key("公益財団法人 ジョイセフ"), org_name_key("ジョイセフ"));
        assert_eq!(org_name_key("（公財）ジョイセフ"), org_name_key("ジョイセフ"));
        assert_eq!(org_name_key("一般社団法人 仙台復興支援の会"), org_name_key("仙台復興支援の会"));
        assert_eq!(org_name_key("(一社)仙台復興支援の会"), org_name_key("仙台復興支援の会"));
        assert_eq!(org_name_key("一般財団法人 たすけあい"), org_name_key("たすけあい"));
        assert_eq!(org_name_key("公益社団法人 たすけあい"), org_name_key("たすけあい"));
        assert_eq!(org_name_key("社会福祉法人 たすけあい"), org_name_key("たすけあい"));
        assert_eq!(org_name_key("㈱サンプル"), org_name_key("株式会社サンプル"));
    }

    #[test]
    fn kana_width_spaces_and_middle_dots_do_not_matter() {
        let key = org_name_key("ピース・ウィンズ・ジャパン");
        assert_eq!(org_name_key("ピースウィンズジャパン"), key);
        assert_eq!(org_name_key("ﾋﾟｰｽ･ｳｨﾝｽﾞ･ｼﾞｬﾊﾟﾝ"), key);
        assert_eq!(org_name_key("ぴーす うぃんず じゃぱん"), key);
        assert_eq!(org_name_key("センダイ フッコウ"), org_name_key("せんだいふっこう"));
        assert_eq!(org_name_key("Peace·Winds"), org_name_key("peacewinds"));
    }

    #[test]
    fn english_forms_only_as_whole_words_at_either_end() {
        let key = org_name_key("Peace Winds Japan");
        assert_eq!(org_name_key("Peace Winds Japan, Inc."), key);
        assert_eq!(org_name_key("PEACE WINDS JAPAN INC"), key);
        assert_eq!(org_name_key("Peace Winds Japan Co., Ltd."), key);
        assert_eq!(org_name_key("NPO Peace Winds Japan"), key);
        assert_eq!(org_name_key("Ｐｅａｃｅ Ｗｉｎｄｓ Ｊａｐａｎ"), key);
        // Inside a name, or inside a word, they are the name.
        assert_ne!(org_name_key("Japan NPO Center"), org_name_key("Japan Center"));
        assert_ne!(org_name_key("Zinc"), org_name_key("Z"));
        assert_ne!(org_name_key("NPOs United"), org_name_key("s United"));
        assert_eq!(org_name_key("Zinc"), "zinc");
    }

    #[test]
    fn different_organisations_keep_different_keys() {
        assert_ne!(org_name_key("難民を助ける会"), org_name_key("難民を支える会"));
        assert_ne!(org_name_key("NPO法人 遠野まごころネット"), org_name_key("NPO法人 遠野ネット"));
        // A name that is only a legal form is not the empty key every such name would share.
        assert_eq!(org_name_key("NPO法人"), "npo法人");
        assert_eq!(org_name_key("Inc."), "inc");
        assert_ne!(org_name_key("NPO法人"), org_name_key("一般社団法人"));
    }

    #[test]
    fn readings_sort_in_gojuon_order() {
        use super::kana_order_key;
        let mut names = vec![
            "ワールドビジョン",
            "さくら",
            "がんばろう",
            "カリタス",
            "あおぞら",
            "ｱｲｳ",
            "ざしき",
            "さくらんぼ",
            "ジェン",
            "しみん",
            "ぴーす",
            "はーと",
            "ばんぶー",
            "っつ",
            "つづき",
            "漢字だけ",
        ];
        names.sort_by_key(|n| kana_order_key(n));
        assert_eq!(
            names,
            vec![
                "ｱｲｳ",
                "あおぞら",
                "カリタス",
                "がんばろう",
                "さくら",
                "さくらんぼ",
                "ざしき",
                "ジェン",
                "しみん",
                "っつ",
                "つづき",
                "はーと",
                "ばんぶー",
                "ぴーす",
                "ワールドビジョン",
                "漢字だけ",
            ]
        );
    }

    #[test]
    fn width_and_kana_variants_fold_together() {
        assert_eq!(fold("ＮＰＯ"), fold("npo"));
        assert_eq!(fold("ふくしま"), fold("フクシマ"));
        assert_eq!(fold("ﾌｸｼﾏ"), fold("ふくしま"));
        assert_ne!(fold("ふくしま"), fold("みやぎ"));
    }

    #[test]
    fn fast_paths_change_no_key() {
        use unicode_normalization::UnicodeNormalization;
        // The definition, without the fast paths.
        let reference = |s: &str| {
            let mut out = String::new();
            for c in s.nfkc() {
                match c {
                    '\u{30A1}'..='\u{30F6}' => out.push(char::from_u32(c as u32 - 0x60).unwrap_or(c)),
                    'ー' | '・' => {}
                    c if c.is_whitespace() => out.push(' '),
                    c => out.extend(c.to_lowercase()),
                }
            }
            out
        };
        // Every code point up to the supplementary ideographs, in runs of 48
        // and after an ASCII letter (combining marks compose with it).
        let chars: Vec<char> = (0..0x3_0000).filter_map(char::from_u32).collect();
        for run in chars.chunks(48) {
            let s: String = run.iter().collect();
            assert_eq!(fold(&s), reference(&s), "{s:?}");
            for c in run {
                let s = format!("e{c}");
                assert_eq!(fold(&s), reference(&s), "{s:?}");
            }
        }
        assert_eq!(fold("Cafe\u{301}"), "café");
        assert_eq!(fold("ｶﾞｽ"), "がす");
    }
}
