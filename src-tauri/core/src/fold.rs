//! Search folding: one key under which the spellings a Japanese user treats
//! as the same thing compare equal. NFKC unifies full-width and half-width
//! forms (ＮＰＯ → NPO, ｶﾀｶﾅ → カタカナ); katakana is then mapped to hiragana
//! and Latin letters lower-cased, so ふくしま, フクシマ and ﾌｸｼﾏ all match.

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
        c => out.extend(c.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

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
