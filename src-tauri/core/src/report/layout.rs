//! A small flow layout that writes PDF page content directly: A4 pages with
//! a running header and page numbers, wrapped paragraphs, headings kept with
//! what follows them, and tables that break across pages with their header
//! repeated. Positions are tracked from the top of the page in points and
//! turned into PDF's bottom-up coordinates only when an operator is written.
//!
//! The operators are written as bytes rather than built as objects: turning
//! printpdf's `Op`s into a content stream (an object per operand, a string per
//! glyph) was a third of a report's time, growing with every row, when the
//! reports used printpdf. Text is written with the font's own glyph ids;
//! `pdf::render` renumbers them to the embedded subset's.

use super::font::Face;
use super::wrap::wrap;

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_X: f32 = 54.0;
pub const TOP: f32 = 70.0;
pub const BOTTOM: f32 = 62.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

pub type Rgb3 = (f32, f32, f32);
pub const BLACK: Rgb3 = (0.1, 0.1, 0.12);
pub const GREY: Rgb3 = (0.42, 0.42, 0.45);
pub const RULE: Rgb3 = (0.78, 0.78, 0.8);
pub const ACCENT: Rgb3 = (0.11, 0.33, 0.55);
pub const SHADE: Rgb3 = (0.93, 0.94, 0.96);
/// Marks that must not be missed: sample data, drafts.
pub const STAMP: Rgb3 = (0.75, 0.12, 0.1);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: Rgb3,
}

impl Style {
    pub const fn new(size: f32) -> Style {
        Style { size, bold: false, color: BLACK }
    }
    pub const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
    pub const fn color(self, color: Rgb3) -> Style {
        Style { color, ..self }
    }
    pub fn leading(self) -> f32 {
        self.size * 1.42
    }
}

pub const BODY: Style = Style::new(9.5);
pub const SMALL: Style = Style::new(8.0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct Column {
    pub title: String,
    /// Share of the table's width; the shares of a table add up to 1.
    pub share: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: impl Into<String>, share: f32, align: Align) -> Column {
        Column { title: title.into(), share, align }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Normal,
    /// Bold, on a shaded band: totals and subtotals.
    Total,
}

pub struct Row {
    pub cells: Vec<String>,
    pub kind: RowKind,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Row {
        Row { cells, kind: RowKind::Normal }
    }
    pub fn total(cells: Vec<String>) -> Row {
        Row { cells, kind: RowKind::Total }
    }
}

#[derive(Default)]
struct PageBuf {
    /// Rectangles and rules, painted under the text.
    gfx: Vec<u8>,
    /// Text operators, inside one BT/ET pair.
    text: Vec<u8>,
    state: Option<Style>,
    /// Start of the current text line in hundredths of a point: text is
    /// placed with relative `Td` moves, which are shorter than a full matrix.
    origin: (i32, i32),
}

pub struct Layout {
    face: &'static Face,
    font: String,
    pages: Vec<PageBuf>,
    /// The character each glyph id was first written for (0: unused), for the
    /// subset and its ToUnicode map.
    used: Vec<u32>,
    /// Distance of the next line's top from the top of the page.
    y: f32,
    /// Printed at the top of every page when set ("SAMPLE DATA / サンプルデータ").
    stamp: Option<String>,
}

pub const CELL_PAD_X: f32 = 3.5;
const CELL_PAD_Y: f32 = 2.6;

/// Pages as content streams, and the glyphs they show.
pub struct Pages {
    pub contents: Vec<Vec<u8>>,
    /// (glyph id, character), ascending by glyph id.
    pub glyphs: Vec<(u16, char)>,
}

/// `v` to the hundredth of a point, without trailing zeros: "54", "721.89", "-0.5".
/// Written digit by digit: through `write!` it was a tenth of a 10k-site
/// report's process (callgrind).
fn num(out: &mut Vec<u8>, v: f32) {
    let c = (f64::from(v) * 100.0).round() as i64;
    if c < 0 {
        out.push(b'-');
    }
    let c = c.unsigned_abs();
    out.extend_from_slice(itoa::Buffer::new().format(c / 100).as_bytes());
    let (tenths, hundredths) = ((c / 10 % 10) as u8, (c % 10) as u8);
    if tenths != 0 || hundredths != 0 {
        out.extend_from_slice(&[b'.', b'0' + tenths]);
    }
    if hundredths != 0 {
        out.push(b'0' + hundredths);
    }
}

fn color(out: &mut Vec<u8>, (r, g, b): Rgb3, op: &[u8]) {
    for v in [r, g, b] {
        num(out, v);
        out.push(b' ');
    }
    out.extend_from_slice(op);
    out.push(b'\n');
}

fn point(out: &mut Vec<u8>, x: f32, y_from_top: f32, op: &[u8]) {
    num(out, x);
    out.push(b' ');
    num(out, PAGE_H - y_from_top);
    out.push(b' ');
    out.extend_from_slice(op);
    out.push(b'\n');
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl Layout {
    /// `font` is the resource name the pages' text refers to.
    pub fn new(face: &'static Face, font: &str) -> Layout {
        let mut l =
            Layout { face, font: font.to_string(), pages: Vec::new(), used: vec![0; 0x1_0000], y: TOP, stamp: None };
        l.new_page();
        l
    }

    /// Marks every page, in the header band, with `text` (set before `finish`).
    pub fn set_stamp(&mut self, text: &str) {
        self.stamp = Some(text.to_string());
    }

    pub fn face(&self) -> &'static Face {
        self.face
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn new_page(&mut self) {
        self.pages.push(PageBuf::default());
        self.y = TOP;
    }

    /// Room left on the current page.
    pub fn room(&self) -> f32 {
        PAGE_H - BOTTOM - self.y
    }

    /// Starts a new page unless `h` points still fit (or the page is empty).
    pub fn ensure(&mut self, h: f32) {
        if h > self.room() && self.y > TOP + 0.5 {
            self.new_page();
        }
    }

    pub fn space(&mut self, h: f32) {
        self.y += h;
    }

    fn page(&mut self) -> &mut PageBuf {
        // `new` always pushes a first page, so there is a last one.
        let n = self.pages.len() - 1;
        &mut self.pages[n]
    }

    pub fn width(&self, s: &str, style: Style) -> f32 {
        self.face.width(s, style.size)
    }

    pub fn wrap(&self, s: &str, style: Style, width: f32) -> Vec<String> {
        wrap(self.face, &self.clean(s), style.size, width)
    }

    /// Replaces what the font cannot draw, so no empty box is ever printed.
    fn clean(&self, s: &str) -> String {
        if s.chars().all(|c| self.face.covers(c) || c == '\n') {
            return s.to_string();
        }
        s.chars()
            .map(|c| if c == '\n' || c == '\t' || self.face.covers(c) { if c == '\t' { ' ' } else { c } } else { '?' })
            .collect()
    }

    /// Draws one line of text with its baseline at `baseline` (from the top).
    pub fn text_at(&mut self, x: f32, baseline: f32, s: &str, style: Style) {
        if s.is_empty() {
            return;
        }
        let face = self.face;
        for c in s.chars() {
            let slot = &mut self.used[usize::from(face.glyph(c))];
            if *slot == 0 {
                *slot = c as u32;
            }
        }
        let font = std::mem::take(&mut self.font);
        let p = self.page();
        let out = &mut p.text;
        let prev = p.state;
        if prev.map(|s| s.size) != Some(style.size) {
            out.push(b'/');
            out.extend_from_slice(font.as_bytes());
            out.push(b' ');
            num(out, style.size);
            out.extend_from_slice(b" Tf\n");
        }
        if prev.map(|s| s.color) != Some(style.color) {
            color(out, style.color, b"rg");
            color(out, style.color, b"RG");
        }
        if prev.map(|s| s.bold) != Some(style.bold) {
            // Bold without a second font file: fill and stroke the outlines.
            if style.bold {
                out.extend_from_slice(b"2 Tr\n");
                num(out, style.size * 0.035);
                out.extend_from_slice(b" w\n");
            } else {
                out.extend_from_slice(b"0 Tr\n");
            }
        }
        p.state = Some(style);
        // Relative `Td` moves are shorter than a full text matrix.
        let to = ((x * 100.0).round() as i32, ((PAGE_H - baseline) * 100.0).round() as i32);
        let (dx, dy) = (to.0 - p.origin.0, to.1 - p.origin.1);
        p.origin = to;
        num(out, dx as f32 / 100.0);
        out.push(b' ');
        num(out, dy as f32 / 100.0);
        out.extend_from_slice(b" Td\n<");
        for c in s.chars() {
            let g = face.glyph(c);
            out.extend([
                HEX[usize::from(g >> 12)],
                HEX[usize::from((g >> 8) & 15)],
                HEX[usize::from((g >> 4) & 15)],
                HEX[usize::from(g & 15)],
            ]);
        }
        out.extend_from_slice(b"> Tj\n");
        self.font = font;
    }

    /// Right-aligned text ending at `right`.
    pub fn text_right(&mut self, right: f32, baseline: f32, s: &str, style: Style) {
        let w = self.width(s, style);
        self.text_at(right - w, baseline, s, style);
    }

    pub fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, fill: Rgb3) {
        let out = &mut self.page().gfx;
        color(out, fill, b"rg");
        for v in [x, PAGE_H - top - h, w] {
            num(out, v);
            out.push(b' ');
        }
        num(out, h);
        out.extend_from_slice(b" re\nf\n");
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb3) {
        self.polyline(&[(x1, y1), (x2, y2)], width, color);
    }

    /// A polyline through `points` (x, y from the top).
    pub fn polyline(&mut self, points: &[(f32, f32)], width: f32, rgb: Rgb3) {
        if points.len() < 2 {
            return;
        }
        let out = &mut self.page().gfx;
        color(out, rgb, b"RG");
        num(out, width);
        out.extend_from_slice(b" w\n");
        for (i, &(x, y)) in points.iter().enumerate() {
            point(out, x, y, if i == 0 { b"m" } else { b"l" });
        }
        out.extend_from_slice(b"S\n");
    }

    /// Closed paths (x, y from the top), filled and/or outlined, drawn
    /// inside the clip rectangle `clip` (x, top, w, h) when one is given.
    pub fn shapes(
        &mut self,
        rings: &[Vec<(f32, f32)>],
        fill: Option<Rgb3>,
        stroke: Option<(f32, Rgb3)>,
        clip: Option<(f32, f32, f32, f32)>,
    ) {
        let out = &mut self.page().gfx;
        out.extend_from_slice(b"q\n");
        if let Some((x, top, w, h)) = clip {
            for v in [x, PAGE_H - top - h, w] {
                num(out, v);
                out.push(b' ');
            }
            num(out, h);
            out.extend_from_slice(b" re W n\n");
        }
        if let Some(f) = fill {
            color(out, f, b"rg");
        }
        if let Some((w, c)) = stroke {
            color(out, c, b"RG");
            num(out, w);
            out.extend_from_slice(b" w\n1 j\n");
        }
        for ring in rings.iter().filter(|r| r.len() > 2) {
            for (i, &(x, y)) in ring.iter().enumerate() {
                point(out, x, y, if i == 0 { b"m" } else { b"l" });
            }
            out.extend_from_slice(b"h\n");
        }
        out.extend_from_slice(match (fill, stroke) {
            (Some(_), Some(_)) => b"B\nQ\n",
            (Some(_), None) => b"f\nQ\n",
            (None, Some(_)) => b"S\nQ\n",
            (None, None) => b"n\nQ\n",
        });
    }

    /// Discs of radius `r` at each centre (x, y from the top) in `fill`, each
    /// on a `halo` disc `width` wider in its colour when given (a ring that
    /// sets a dot off from its neighbours and the map beneath).
    ///
    /// A disc is a zero-length line with round caps, which the PDF standard
    /// paints as a filled circle (ISO 32000-1, 8.5.3.2): two points a dot
    /// where four Bézier arcs took thirteen, which at 10k sites made the map
    /// a tenth of the report's process (callgrind).
    pub fn dots(&mut self, centres: &[(f32, f32)], r: f32, fill: Rgb3, halo: Option<(f32, Rgb3)>) {
        if centres.is_empty() {
            return;
        }
        let out = &mut self.page().gfx;
        out.extend_from_slice(b"q\n1 J\n");
        let pass = |out: &mut Vec<u8>, colour: Rgb3, diameter: f32| {
            color(out, colour, b"RG");
            num(out, diameter);
            out.extend_from_slice(b" w\n");
            for &(x, y) in centres {
                point(out, x, y, b"m");
                point(out, x, y, b"l");
            }
            out.extend_from_slice(b"S\n");
        };
        match halo {
            Some((width, colour)) => {
                pass(out, colour, 2.0 * r + width);
                pass(out, fill, 2.0 * r - width);
            }
            None => pass(out, fill, 2.0 * r),
        }
        out.extend_from_slice(b"Q\n");
    }

    /// Wrapped text flowing down the page, across pages when it must.
    pub fn paragraph(&mut self, s: &str, style: Style, indent: f32) {
        let lines = self.wrap(s, style, CONTENT_W - indent);
        for line in lines {
            self.ensure(style.leading());
            let base = self.y + style.size;
            self.text_at(MARGIN_X + indent, base, &line, style);
            self.y += style.leading();
        }
    }

    /// A paragraph that starts with a bullet hanging in the indent.
    pub fn bullet(&mut self, s: &str, style: Style, indent: f32) {
        self.ensure(style.leading() * 2.0);
        let base = self.y + style.size;
        self.text_at(MARGIN_X + indent - 9.0, base, "•", style);
        self.paragraph(s, style, indent);
    }

    /// A heading, moved to the next page unless `keep` points fit below it.
    pub fn heading(&mut self, s: &str, level: u8, keep: f32) {
        let style = match level {
            0 => Style::new(20.0).bold().color(ACCENT),
            1 => Style::new(14.0).bold().color(ACCENT),
            2 => Style::new(11.5).bold(),
            _ => Style::new(10.0).bold(),
        };
        let before = match level {
            0 => 0.0,
            1 => 14.0,
            2 => 9.0,
            _ => 6.0,
        };
        let lines = self.wrap(s, style, CONTENT_W);
        let h = lines.len() as f32 * style.leading();
        if self.y > TOP + 0.5 {
            self.y += before;
        }
        self.ensure(h + keep);
        for line in lines {
            let base = self.y + style.size;
            self.text_at(MARGIN_X, base, &line, style);
            self.y += style.leading();
        }
        if level == 1 {
            let y = self.y + 1.0;
            self.line(MARGIN_X, y, MARGIN_X + CONTENT_W, y, 0.6, ACCENT);
            self.y += 5.0;
        } else {
            self.y += 2.0;
        }
    }

    /// Label and value pairs in two columns, the labels in grey. The block
    /// is kept on one page when it fits on one: a statement's totals read
    /// as one figure ("granted, spent, unspent") and lose sense when split.
    pub fn facts(&mut self, pairs: &[(String, String)], label_w: f32) {
        let label = BODY.color(GREY);
        let wrapped: Vec<(Vec<String>, Vec<String>)> = pairs
            .iter()
            .map(|(k, v)| (self.wrap(k, label, label_w - 6.0), self.wrap(v, BODY, CONTENT_W - label_w)))
            .collect();
        let block: f32 = wrapped.iter().map(|(k, v)| k.len().max(v.len()) as f32 * BODY.leading() + 1.5).sum();
        if block <= PAGE_H - BOTTOM - TOP {
            self.ensure(block);
        }
        for (klines, vlines) in &wrapped {
            let n = klines.len().max(vlines.len());
            self.ensure(n as f32 * BODY.leading());
            let top = self.y;
            for (i, l) in klines.iter().enumerate() {
                self.text_at(MARGIN_X, top + BODY.size + i as f32 * BODY.leading(), l, label);
            }
            for (i, l) in vlines.iter().enumerate() {
                self.text_at(MARGIN_X + label_w, top + BODY.size + i as f32 * BODY.leading(), l, BODY);
            }
            self.y = top + n as f32 * BODY.leading() + 1.5;
        }
    }

    fn table_header(&mut self, cols: &[Column], xs: &[f32], widths: &[f32], style: Style) {
        let hstyle = style.bold();
        let wrapped: Vec<Vec<String>> =
            cols.iter().zip(widths).map(|(c, w)| self.wrap(&c.title, hstyle, w - 2.0 * CELL_PAD_X)).collect();
        let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let h = n as f32 * style.leading() + 2.0 * CELL_PAD_Y;
        let top = self.y;
        self.rect(MARGIN_X, top, CONTENT_W, h, SHADE);
        for (i, lines) in wrapped.iter().enumerate() {
            for (j, l) in lines.iter().enumerate() {
                let base = top + CELL_PAD_Y + hstyle.size + j as f32 * style.leading();
                match cols[i].align {
                    Align::Left => self.text_at(xs[i] + CELL_PAD_X, base, l, hstyle),
                    Align::Right => self.text_right(xs[i] + widths[i] - CELL_PAD_X, base, l, hstyle),
                }
            }
        }
        self.y = top + h;
        self.line(MARGIN_X, self.y, MARGIN_X + CONTENT_W, self.y, 0.6, GREY);
    }

    /// A table whose rows never split a line across pages; the header row is
    /// repeated at the top of every page the table continues on. A row taller
    /// than a whole page continues on the next one.
    pub fn table(&mut self, cols: &[Column], rows: impl IntoIterator<Item = Row>, style: Style) {
        self.table_with(cols, rows, style, true, None);
    }

    /// A table without a rule under each row, for long lists: the rules were
    /// a third of a long report's page content and the cell padding already
    /// sets the rows apart. Every further page starts with `caption`
    /// ("Iwate — 51 sites (continued)"): its rows' group heading may be pages back.
    pub fn list_continued(
        &mut self,
        cols: &[Column],
        rows: impl IntoIterator<Item = Row>,
        style: Style,
        caption: &str,
    ) {
        self.table_with(cols, rows, style, false, Some(caption));
    }

    fn table_with(
        &mut self,
        cols: &[Column],
        rows: impl IntoIterator<Item = Row>,
        style: Style,
        rules: bool,
        caption: Option<&str>,
    ) {
        let mut xs = Vec::with_capacity(cols.len());
        let mut widths = Vec::with_capacity(cols.len());
        let mut x = MARGIN_X;
        for c in cols {
            let w = c.share * CONTENT_W;
            xs.push(x);
            widths.push(w);
            x += w;
        }
        let lead = style.leading();
        // The header only starts a page together with at least one row.
        self.ensure(3.0 * lead + 4.0 * CELL_PAD_Y);
        self.table_header(cols, &xs, &widths, style);
        for row in rows {
            let rstyle = if row.kind == RowKind::Total { style.bold() } else { style };
            let wrapped: Vec<Vec<String>> =
                row.cells.iter().zip(&widths).map(|(c, w)| self.wrap(c, rstyle, w - 2.0 * CELL_PAD_X)).collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            let mut first = 0;
            let mut fresh = false;
            while first < n {
                let fit = ((self.room() - 2.0 * CELL_PAD_Y) / lead).floor().max(0.0) as usize;
                let remaining = n - first;
                // A row moves whole to the next page; only a row taller than
                // a page is split, filling each page it runs over.
                if fit < remaining && !fresh {
                    self.new_page();
                    if let Some(c) = caption {
                        let cap = SMALL.bold().color(GREY);
                        let top = self.y;
                        self.text_at(MARGIN_X, top + cap.size, c, cap);
                        self.y = top + cap.leading() + 2.0;
                    }
                    self.table_header(cols, &xs, &widths, style);
                    fresh = true;
                    continue;
                }
                fresh = false;
                let take = fit.min(remaining).max(1);
                let h = take as f32 * lead + 2.0 * CELL_PAD_Y;
                let top = self.y;
                if row.kind == RowKind::Total {
                    self.rect(MARGIN_X, top, CONTENT_W, h, SHADE);
                }
                for (i, lines) in wrapped.iter().enumerate() {
                    for (j, l) in lines.iter().enumerate().skip(first).take(take) {
                        let base = top + CELL_PAD_Y + rstyle.size + (j - first) as f32 * lead;
                        match cols[i].align {
                            Align::Left => self.text_at(xs[i] + CELL_PAD_X, base, l, rstyle),
                            Align::Right => self.text_right(xs[i] + widths[i] - CELL_PAD_X, base, l, rstyle),
                        }
                    }
                }
                self.y = top + h;
                if rules {
                    self.line(MARGIN_X, self.y, MARGIN_X + CONTENT_W, self.y, 0.3, RULE);
                }
                first += take;
            }
        }
        self.y += 6.0;
    }

    /// Adds the running header and "page n of N" footer to every page and
    /// returns each page's operations.
    pub fn finish(
        mut self,
        header_left: &str,
        header_right: &str,
        footer_left: &str,
        page_label: impl Fn(usize, usize) -> String,
    ) -> Pages {
        let total = self.pages.len();
        let small = SMALL.color(GREY);
        let face = self.face;
        let header_left = wrap(face, header_left, small.size, CONTENT_W * 0.62).into_iter().next().unwrap_or_default();
        let header_right =
            wrap(face, header_right, small.size, CONTENT_W * 0.36).into_iter().next().unwrap_or_default();
        let footer_left = wrap(face, footer_left, small.size, CONTENT_W * 0.75).into_iter().next().unwrap_or_default();
        for i in 0..total {
            // Draw onto page i by making it the last one for a moment.
            let page = std::mem::take(&mut self.pages[i]);
            let saved = std::mem::replace(&mut self.pages, vec![page]);
            self.text_at(MARGIN_X, 40.0, &header_left, small);
            self.text_right(MARGIN_X + CONTENT_W, 40.0, &header_right, small);
            self.line(MARGIN_X, 46.0, MARGIN_X + CONTENT_W, 46.0, 0.4, RULE);
            let foot = PAGE_H - 34.0;
            self.line(MARGIN_X, foot - 12.0, MARGIN_X + CONTENT_W, foot - 12.0, 0.4, RULE);
            self.text_at(MARGIN_X, foot, &footer_left, small);
            self.text_right(MARGIN_X + CONTENT_W, foot, &page_label(i + 1, total), small);
            if let Some(stamp) = self.stamp.clone() {
                let style = Style::new(10.0).bold().color(STAMP);
                let w = self.width(&stamp, style);
                self.text_at(MARGIN_X + (CONTENT_W - w) / 2.0, 26.0, &stamp, style);
            }
            let page = self.pages.pop().unwrap_or_default();
            self.pages = saved;
            self.pages[i] = page;
        }
        let contents = self
            .pages
            .into_iter()
            .map(|p| {
                let mut out = p.gfx;
                out.reserve(p.text.len() + 6);
                out.extend_from_slice(b"BT\n");
                out.extend(p.text);
                out.extend_from_slice(b"ET\n");
                out
            })
            .collect();
        let glyphs = self
            .used
            .iter()
            .enumerate()
            .filter_map(|(g, &c)| Some((u16::try_from(g).ok()?, char::from_u32(c).filter(|_| c != 0)?)))
            .collect();
        Pages { contents, glyphs }
    }
}
