//! Search folding: one key under which the spellings a Japanese user treats
//! as the same thing compare equal. NFKC unifies full-width and half-width
//! forms (ＮＰＯ → NPO, ｶﾀｶﾅ → カタカナ); katakana is then mapped to hiragana
//! and Latin letters lower-cased, so ふくしま, フクシマ and ﾌｸｼﾏ all match.

use unicode_normalization::UnicodeNormalization;

pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        match c {
            // Katakana ァ..ヶ sit exactly 0x60 above their hiragana.
            '\u{30A1}'..='\u{30F6}' => out.push(char::from_u32(c as u32 - 0x60).unwrap_or(c)),
            // Long vowel mark and middle dot carry no meaning for matching.
            'ー' | '・' => {}
            c if c.is_whitespace() => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
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
}
