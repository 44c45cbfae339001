//! Line breaking for mixed English and Japanese text. English breaks at
//! spaces; Japanese may break between any two characters, except that closing
//! punctuation never starts a line and opening brackets never end one (a
//! light form of kinsoku shori). A word longer than the line is cut by
//! character, so nothing ever runs past the margin.

use super::font::Face;

/// Characters that may be broken before and after, like each ideograph.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // CJK symbols and punctuation
        | 0x3040..=0x30FF // hiragana, katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF00..=0xFFEF // half- and full-width forms
    )
}

fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | 'ー'
            | '・'
            | '：'
            | '；'
            | '！'
            | '？'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
            | '%'
    )
}

fn no_line_end(c: char) -> bool {
    matches!(c, '（' | '「' | '『' | '【' | '〔' | '〈' | '《' | '(' | '[' | '{')
}

/// An unbreakable piece of text and whether a space followed it.
struct Token {
    text: String,
    space_after: bool,
}

fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if c.is_whitespace() {
            if !cur.is_empty() {
                out.push(Token { text: std::mem::take(&mut cur), space_after: true });
            } else if let Some(last) = out.last_mut() {
                last.space_after = true;
            }
            prev = None;
            continue;
        }
        if let Some(p) = prev
            && (is_cjk(p) || is_cjk(c))
            && !no_line_start(c)
            && !no_line_end(p)
        {
            out.push(Token { text: std::mem::take(&mut cur), space_after: false });
        }
        cur.push(c);
        prev = Some(c);
    }
    if !cur.is_empty() {
        out.push(Token { text: cur, space_after: false });
    }
    out
}

/// Breaks `s` into lines no wider than `width` points at `size`. Newlines in
/// `s` are kept as line breaks; an empty `s` gives one empty line.
pub fn wrap(face: &Face, s: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.split('\n') {
        wrap_paragraph(face, para, size, width, &mut lines);
    }
    lines
}

/// Whether `s` would come out of `wrap_paragraph` as one line, unchanged:
/// it fits, and its only spaces are single ones between words. Most table
/// cells are such, and tokenizing each was a sixth of a 10k-site report.
fn fits_as_is(face: &Face, s: &str, size: f32, width: f32) -> bool {
    let mut after_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if c != ' ' || after_space {
                return false;
            }
            after_space = true;
        } else {
            after_space = false;
        }
    }
    !after_space && face.width(s, size) <= width
}

fn wrap_paragraph(face: &Face, s: &str, size: f32, width: f32, lines: &mut Vec<String>) {
    if fits_as_is(face, s, size, width) {
        lines.push(s.to_string());
    } else {
        wrap_tokens(face, s, size, width, lines);
    }
}

fn wrap_tokens(face: &Face, s: &str, size: f32, width: f32, lines: &mut Vec<String>) {
    let space = face.width(" ", size);
    let mut line = String::new();
    let mut line_w = 0.0f32;
    let mut pending_space = false;
    for tok in tokens(s) {
        let w = face.width(&tok.text, size);
        let sep = if pending_space && !line.is_empty() { space } else { 0.0 };
        if line_w + sep + w <= width {
            if sep > 0.0 {
                line.push(' ');
            }
            line.push_str(&tok.text);
            line_w += sep + w;
        } else {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_w = 0.0;
            if w <= width {
                line.push_str(&tok.text);
                line_w = w;
            } else {
                // Cut an over-long word by character.
                for c in tok.text.chars() {
                    let cw = face.advance(c) as f32 * size / 1000.0;
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
        }
        pending_space = tok.space_after;
    }
    lines.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_between_ideographs_and_keeps_punctuation() {
        let t: Vec<String> = tokens("宮城県、仙台。").into_iter().map(|t| t.text).collect();
        assert_eq!(t, ["宮", "城", "県、", "仙", "台。"]);
        let t: Vec<String> = tokens("Sendai (仙台市青葉区)").into_iter().map(|t| t.text).collect();
        assert_eq!(t, ["Sendai", "(仙", "台", "市", "青", "葉", "区)"]);
    }

    #[test]
    fn never_exceeds_the_width() {
        let face = super::super::font::face();
        let long =
            "Averyveryverylongwordwithoutanyspacesthatcannotfitonasingleline 特定非営利活動法人国際協力NGOセンター"
                .repeat(3);
        for line in wrap(face, &long, 9.0, 120.0) {
            assert!(face.width(&line, 9.0) <= 120.0 + 0.01, "{line}");
        }
        assert_eq!(wrap(face, "", 9.0, 100.0), vec![String::new()]);
    }

    #[test]
    fn the_short_cut_for_a_line_that_fits_changes_nothing() {
        let face = super::super::font::face();
        let texts = [
            "大槌町 Otsuchi",
            "Ōtsuchi  town ",
            " 石巻市",
            "仙台\u{3000}市",
            "a\tb",
            "短い",
            "",
            "A B C",
            "（仙台）、",
        ];
        for s in texts {
            let fits = face.width(s, 9.0);
            for width in [fits - 0.01, fits, fits + 0.01, 300.0, 20.0] {
                let mut slow = Vec::new();
                wrap_tokens(face, s, 9.0, width, &mut slow);
                assert_eq!(wrap(face, s, 9.0, width), slow, "{s:?} at {width}");
            }
        }
    }
}
