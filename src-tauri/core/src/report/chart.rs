//! Charts drawn with rectangles and lines, so they print sharply and cost a
//! few hundred bytes.

use super::layout::{CONTENT_W, GREY, Layout, MARGIN_X, RULE, SMALL, Style};
use super::number;

const BAR: (f32, f32, f32) = (0.27, 0.51, 0.71);
const LINE: (f32, f32, f32) = (0.85, 0.45, 0.15);

fn chart_title(l: &mut Layout, title: &str, height: f32) {
    l.ensure(height + 22.0);
    let y = l.y();
    l.text_at(MARGIN_X, y + 10.0, title, Style::new(10.0).bold());
    l.space(18.0);
}

/// Horizontal bars, one per item, with the value at the end of each bar.
pub fn hbars(l: &mut Layout, title: &str, items: &[(String, f64)]) {
    let row = 17.0;
    chart_title(l, title, items.len() as f32 * row + 8.0);
    let label_w = 170.0;
    let value_w = 50.0;
    let bar_w = CONTENT_W - label_w - value_w;
    let max = items.iter().map(|i| i.1).fold(0.0, f64::max);
    let top = l.y();
    for (n, (label, v)) in items.iter().enumerate() {
        let y = top + n as f32 * row;
        let label = l.wrap(label, SMALL, label_w - 8.0).into_iter().next().unwrap_or_default();
        l.text_at(MARGIN_X, y + 11.0, &label, SMALL);
        let w = if max > 0.0 { (v / max) as f32 * bar_w } else { 0.0 };
        if w > 0.0 {
            l.rect(MARGIN_X + label_w, y + 3.0, w.max(0.8), row - 6.0, BAR);
        }
        l.text_at(MARGIN_X + label_w + w + 4.0, y + 11.0, &number(&format!("{v}")), SMALL.bold());
    }
    let bottom = top + items.len() as f32 * row;
    l.line(MARGIN_X + label_w, top, MARGIN_X + label_w, bottom, 0.6, GREY);
    l.space(items.len() as f32 * row + 10.0);
}

/// An axis value: whole numbers grouped by thousands, fractions kept where
/// the scale is below one.
fn axis_label(v: f64) -> String {
    if v >= 1.0 || v == 0.0 { number(&format!("{}", v.round() as i64)) } else { format!("{v}") }
}

/// A step up to the next round number: 1, 2 or 5 times a power of ten.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

/// The top of the share axis: 100 %, or the next round step above the
/// largest share, so a running total past the amount granted stays on the
/// chart rather than being cut off at the top.
pub(crate) fn share_ceiling(max_share: f64) -> f64 {
    if max_share <= 1.0 { 1.0 } else { nice_ceiling(max_share) }
}

/// Monthly amounts as columns, with the running total as a line against the
/// right-hand axis (as a share of `reference`, the amount granted). Both
/// axes reach past their largest value; when the running total passes
/// 100 % a dashed line marks the amount granted.
/// `labels` are the legend's (bars, line) and the dashed rule's.
pub fn over_time(l: &mut Layout, title: &str, months: &[(String, f64)], reference: f64, labels: (&str, &str, &str)) {
    let height = 150.0;
    chart_title(l, title, height + 40.0);
    let left = MARGIN_X + 56.0;
    let right = MARGIN_X + CONTENT_W - 34.0;
    let top = l.y() + 4.0;
    let bottom = top + height;
    let max = nice_ceiling(months.iter().map(|m| m.1).fold(0.0, f64::max));
    let total: f64 = months.iter().map(|m| m.1).sum();
    let share_top = if reference > 0.0 { share_ceiling(total / reference) } else { 1.0 };
    for k in 0..=4 {
        let y = bottom - height * k as f32 / 4.0;
        l.line(left, y, right, y, if k == 0 { 0.8 } else { 0.3 }, if k == 0 { GREY } else { RULE });
        let v = max * k as f64 / 4.0;
        l.text_right(left - 4.0, y + 3.0, &axis_label(v), SMALL.color(GREY));
        let pct = share_top * 100.0 * k as f64 / 4.0;
        l.text_at(right + 4.0, y + 3.0, &format!("{}%", number(&format!("{}", pct.round() as i64))), SMALL.color(LINE));
    }
    if share_top > 1.0 {
        // The amount granted, as a dashed rule across the plot.
        let y = bottom - height * (1.0 / share_top) as f32;
        let mut x = left;
        while x < right {
            l.line(x, y, (x + 4.0).min(right), y, 0.6, LINE);
            x += 7.0;
        }
        l.text_right(right - 4.0, y - 3.0, labels.2, SMALL.color(LINE));
    }
    let n = months.len().max(1);
    let slot = (right - left) / n as f32;
    let step = match n {
        0..=12 => 1,
        13..=24 => 3,
        25..=72 => 6,
        _ => 12,
    };
    let mut cumulative = 0.0;
    let mut points = Vec::with_capacity(n + 1);
    points.push((left, bottom));
    for (i, (label, v)) in months.iter().enumerate() {
        let x = left + i as f32 * slot;
        let h = if max > 0.0 { (*v / max) as f32 * height } else { 0.0 };
        if h > 0.0 {
            l.rect(x + slot * 0.15, bottom - h, slot * 0.7, h, BAR);
        }
        if i % step == 0 {
            l.line(x, bottom, x, bottom + 3.0, 0.5, GREY);
            l.text_at(x, bottom + 12.0, label, SMALL.color(GREY));
        }
        cumulative += v;
        let share = if reference > 0.0 { (cumulative / reference / share_top) as f32 } else { 0.0 };
        points.push((x + slot, bottom - share * height));
    }
    if reference > 0.0 {
        l.polyline(&points, 1.4, LINE);
    }
    let legend_y = bottom + 26.0;
    l.rect(left, legend_y - 7.0, 8.0, 8.0, BAR);
    l.text_at(left + 12.0, legend_y, labels.0, SMALL);
    let x2 = left + 24.0 + l.width(labels.0, SMALL);
    l.line(x2, legend_y - 3.0, x2 + 12.0, legend_y - 3.0, 1.4, LINE);
    l.text_at(x2 + 16.0, legend_y, labels.1, SMALL);
    l.space(height + 40.0);
}
