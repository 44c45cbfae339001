//! The phase report's map: the period's sites on the prefectures of the
//! Tōhoku coast, drawn as vector paths from an embedded simplified boundary
//! data set (`assets/map/tohoku.json`: Natural Earth admin-1, public domain,
//! made by `assets/map/simplify_tohoku.py`), points by status, with a legend.

use std::sync::OnceLock;

use serde::Deserialize;

use super::layout::{ACCENT, BODY, GREY, Layout, MARGIN_X, SMALL};
use super::{Lang, PhaseData};
use crate::prefecture::{AFFECTED, Prefecture};

static BOUNDARIES: &str = include_str!("../../../../assets/map/tohoku.json");

#[derive(Deserialize)]
struct Boundaries {
    prefectures: Vec<Outline>,
}

#[derive(Deserialize)]
struct Outline {
    code: String,
    /// Outer rings of (longitude, latitude).
    rings: Vec<Vec<(f64, f64)>>,
}

fn outlines() -> &'static [Outline] {
    static PARSED: OnceLock<Vec<Outline>> = OnceLock::new();
    // The file is compiled in and checked by a test; an unreadable one draws no outlines.
    PARSED.get_or_init(|| serde_json::from_str::<Boundaries>(BOUNDARIES).map(|b| b.prefectures).unwrap_or_default())
}

/// The area drawn: the three prefectures with a margin.
const WEST: f64 = 138.7;
const EAST: f64 = 142.25;
const SOUTH: f64 = 36.6;
const NORTH: f64 = 40.75;
/// Map height on the page, in points; the width follows from the projection.
const MAP_H: f32 = 330.0;

const LAND: (f32, f32, f32) = (0.95, 0.95, 0.94);
const AFFECTED_LAND: (f32, f32, f32) = (0.87, 0.91, 0.96);
const BORDER: (f32, f32, f32) = (0.55, 0.57, 0.62);
const SEA: (f32, f32, f32) = (0.97, 0.98, 1.0);
const CLOSED: (f32, f32, f32) = (0.85, 0.45, 0.1);

/// An equirectangular projection scaled by the cosine of the middle latitude.
struct Projection {
    x0: f32,
    top: f32,
    scale: f64,
    aspect: f64,
}

impl Projection {
    fn new(x0: f32, top: f32) -> Projection {
        let aspect = ((SOUTH + NORTH) / 2.0).to_radians().cos();
        Projection { x0, top, scale: f64::from(MAP_H) / (NORTH - SOUTH), aspect }
    }
    fn width(&self) -> f32 {
        ((EAST - WEST) * self.aspect * self.scale) as f32
    }
    fn at(&self, lat: f64, lon: f64) -> (f32, f32) {
        (self.x0 + ((lon - WEST) * self.aspect * self.scale) as f32, self.top + ((NORTH - lat) * self.scale) as f32)
    }
    fn inside(lat: f64, lon: f64) -> bool {
        (SOUTH..=NORTH).contains(&lat) && (WEST..=EAST).contains(&lon)
    }
}

/// The map with its legend, kept on one page.
pub fn draw(l: &mut Layout, d: &PhaseData) {
    let lang = d.lang;
    l.heading(lang.t("Sites active in the period, on the map", "期間中に活動した拠点の地図"), 3, MAP_H + 30.0);
    let top = l.y() + 4.0;
    let proj = Projection::new(MARGIN_X, top);
    let (w, h) = (proj.width(), MAP_H);
    let clip = Some((MARGIN_X, top, w, h));
    l.rect(MARGIN_X, top, w, h, SEA);
    for o in outlines() {
        let rings: Vec<Vec<(f32, f32)>> =
            o.rings.iter().map(|r| r.iter().map(|&(lon, lat)| proj.at(lat, lon)).collect()).collect();
        let fill = if AFFECTED.contains(&o.code.as_str()) { AFFECTED_LAND } else { LAND };
        l.shapes(&rings, Some(fill), Some((0.5, BORDER)), clip);
    }
    l.shapes(
        &[vec![(MARGIN_X, top), (MARGIN_X + w, top), (MARGIN_X + w, top + h), (MARGIN_X, top + h)]],
        None,
        Some((0.5, GREY)),
        None,
    );

    let (mut active, mut closed, mut unplaced) = (Vec::new(), Vec::new(), 0usize);
    for s in &d.sites {
        match s.point {
            Some((lat, lon)) if Projection::inside(lat, lon) => {
                let p = proj.at(lat, lon);
                if s.closed_in_period { closed.push(p) } else { active.push(p) }
            }
            _ => unplaced += 1,
        }
    }
    l.dots(&active, 2.3, ACCENT, Some((0.4, (1.0, 1.0, 1.0))));
    l.dots(&closed, 2.3, CLOSED, Some((0.4, (1.0, 1.0, 1.0))));

    // Prefecture names at the middle of their largest ring.
    for o in outlines() {
        let Some(ring) = o.rings.iter().max_by_key(|r| r.len()) else { continue };
        let n = ring.len().max(1) as f64;
        let (lon, lat) = ring.iter().fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
        if !Projection::inside(lat, lon) {
            continue;
        }
        let Some(p) = Prefecture::by_code(&o.code) else { continue };
        let affected = AFFECTED.contains(&o.code.as_str());
        let style = if affected { SMALL.bold().color((0.2, 0.2, 0.3)) } else { SMALL.color(GREY) };
        let name = lang.t(p.name_en, p.name_ja);
        let (x, y) = proj.at(lat, lon);
        let tw = l.width(name, style);
        l.text_at(x - tw / 2.0, y, name, style);
    }

    // Legend beside the map.
    let lx = MARGIN_X + w + 18.0;
    let mut y = top + 12.0;
    l.text_at(lx, y, lang.t("Legend", "凡例"), BODY.bold());
    y += 16.0;
    let rows = [
        (ACCENT, lang.t("Active in the period", "期間中に活動"), active.len()),
        (CLOSED, lang.t("Closed by the period's end", "期末までに終了"), closed.len()),
    ];
    for (color, label, n) in rows {
        l.dots(&[(lx + 4.0, y - 3.0)], 3.0, color, None);
        l.text_at(lx + 14.0, y, &format!("{label}: {n}"), BODY);
        y += 15.0;
    }
    l.rect(lx, y - 8.0, 9.0, 7.0, AFFECTED_LAND);
    l.text_at(lx + 14.0, y, lang.t("Iwate, Miyagi, Fukushima", "岩手・宮城・福島"), BODY);
    y += 15.0;
    l.rect(lx, y - 8.0, 9.0, 7.0, LAND);
    l.text_at(lx + 14.0, y, lang.t("Neighbouring prefectures", "隣接する県"), BODY);
    y += 20.0;
    let mut notes = Vec::new();
    if unplaced > 0 {
        notes.push(match lang {
            Lang::En => format!("{unplaced} site(s) of the period have no coordinates recorded (or lie outside the area shown) and are not on the map."),
            Lang::Ja => format!("期間中の拠点のうち{unplaced}件は座標が未記録（または図の範囲外）のため地図にない。"),
        });
    }
    notes.push(
        lang.t(
            "Boundaries: Natural Earth admin-1 (public domain), simplified to about 1 km.",
            "境界：Natural Earth admin-1（パブリックドメイン）、約1kmに簡略化。",
        )
        .to_string(),
    );
    let note_w = MARGIN_X + super::layout::CONTENT_W - lx;
    for n in notes {
        for line in l.wrap(&n, SMALL, note_w) {
            l.text_at(lx, y, &line, SMALL.color(GREY));
            y += SMALL.leading();
        }
        y += 4.0;
    }
    l.space(h + 14.0);
}
