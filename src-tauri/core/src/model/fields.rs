//! Typed input into the cells of one write. What a person types arrives as
//! text (`None` leaves a field as it is, an empty string clears it); each
//! method checks one field with the same parser the column's rule uses on
//! merge, and names the field in its error.

use chrono::NaiveDate;

use crate::cell::CellValue;
use crate::dates::parse_day;
use crate::error::{Error, Result};
use crate::model::text::{self, MAX_NAME};
use crate::model::{CodeTable, pick};
use crate::prefecture::Prefecture;

pub struct Fields {
    creating: bool,
    cells: Vec<(&'static str, CellValue)>,
}

impl Fields {
    pub fn new(creating: bool) -> Fields {
        Fields { creating, cells: Vec::new() }
    }

    pub fn creating(&self) -> bool {
        self.creating
    }

    pub fn set(&mut self, col: &'static str, value: CellValue) {
        self.cells.retain(|(c, _)| *c != col);
        self.cells.push((col, value));
    }

    /// The value this write gives a column, if it gives one.
    pub fn get(&self, col: &str) -> Option<&CellValue> {
        self.cells.iter().find(|(c, _)| *c == col).map(|(_, v)| v)
    }

    pub fn into_cells(self) -> Vec<(&'static str, CellValue)> {
        self.cells
    }

    /// Text that may not be blank, nor absent on create.
    pub fn required(&mut self, col: &'static str, v: &Option<String>, max: usize) -> Result<()> {
        match v {
            Some(v) => self.set(col, CellValue::Text(text::required(col, v, max)?)),
            None if self.creating => return Err(Error::invalid(col, "is required")),
            None => {}
        }
        Ok(())
    }

    pub fn text(&mut self, col: &'static str, v: &Option<String>, max: usize) -> Result<()> {
        self.with(col, v, |v| text::optional(col, v, max))
    }

    pub fn name(&mut self, col: &'static str, v: &Option<String>) -> Result<()> {
        self.text(col, v, MAX_NAME)
    }

    pub fn email(&mut self, col: &'static str, v: &Option<String>) -> Result<()> {
        self.with(col, v, |v| text::email(col, v))
    }

    pub fn phone(&mut self, col: &'static str, v: &Option<String>) -> Result<()> {
        self.with(col, v, |v| text::phone(col, v))
    }

    pub fn reading(&mut self, col: &'static str, v: &Option<String>) -> Result<()> {
        self.with(col, v, |v| text::reading(col, v))
    }

    pub fn time(&mut self, col: &'static str, v: &Option<String>) -> Result<()> {
        self.with(col, v, |v| text::time(col, v))
    }

    /// A code of `table` (its label accepted too); `default` on create when absent.
    pub fn code(
        &mut self,
        col: &'static str,
        v: &Option<String>,
        table: &CodeTable,
        default: Option<&'static str>,
    ) -> Result<()> {
        match (v, default) {
            (None, Some(d)) if self.creating => self.set(col, CellValue::text(d)),
            (Some(v), Some(d)) if v.trim().is_empty() => self.set(col, CellValue::text(d)),
            _ => self.with(col, v, |v| pick(col, v, table))?,
        }
        Ok(())
    }

    pub fn prefecture(&mut self, col: &'static str, v: &Option<String>) -> Result<()> {
        self.with(col, v, |v| {
            if v.trim().is_empty() { Ok(None) } else { Prefecture::parse(v).map(|p| Some(p.code.to_string())) }
        })
    }

    /// A date; returns the date the record has after this write (`current`
    /// when the field is not given), for checks across fields.
    pub fn day(
        &mut self,
        col: &'static str,
        v: &Option<String>,
        current: Option<NaiveDate>,
    ) -> Result<Option<NaiveDate>> {
        match v {
            None => Ok(current),
            Some(v) if v.trim().is_empty() => {
                self.set(col, CellValue::Null);
                Ok(None)
            }
            Some(v) => {
                let d = parse_day(col, v)?;
                self.set(col, CellValue::Text(d.to_string()));
                Ok(Some(d))
            }
        }
    }

    pub fn count(&mut self, col: &'static str, v: Option<i64>) -> Result<()> {
        if let Some(n) = v {
            if !(0..=1_000_000).contains(&n) {
                return Err(Error::invalid(col, "must be a whole number from 0 to 1,000,000"));
            }
            self.set(col, CellValue::Integer(n));
        }
        Ok(())
    }

    pub fn flag(&mut self, col: &'static str, v: Option<bool>, default: bool) {
        match v {
            Some(b) => self.set(col, CellValue::Integer(i64::from(b))),
            None if self.creating => self.set(col, CellValue::Integer(i64::from(default))),
            None => {}
        }
    }

    fn with(
        &mut self,
        col: &'static str,
        v: &Option<String>,
        parse: impl FnOnce(&str) -> Result<Option<String>>,
    ) -> Result<()> {
        if let Some(v) = v {
            let parsed = parse(v)?;
            self.set(col, CellValue::opt_text(parsed));
        }
        Ok(())
    }
}
