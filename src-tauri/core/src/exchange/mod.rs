//! File formats of data exchange, below the API: reading spreadsheets (CSV in
//! UTF-8 or Excel's Shift_JIS, XLSX) into a plain grid of cells, reading the
//! dates and amounts people type in Japanese spreadsheets, and writing the
//! standard exports (CSV and XLSX tables, HXL 3W, IATI activity XML). Nothing
//! here knows the database or the API: the API maps a grid's cells onto the
//! model's inputs, and hands the exports plain rows.

pub mod hxl;
pub mod iati;
pub mod sheet;
pub mod tabular;
pub mod text;
pub mod values;
