//! Synthetic, clearly labelled fund records for demos and benchmarks:
//! `donors` sample donors and `gifts` gifts among them over the first
//! phase (2011-03-11 – 2012-03-10), numbered as HQ numbers receipts.
//! Written one transaction per table, as a sync would bring them.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::api::demo::SplitMix;
use crate::api::{Kizuna, new_id};
use crate::error::{Error, Result};
use crate::model::fund::GIFT_CHANNELS;
use crate::store::CellValue;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FundDemoSummary {
    #[ts(type = "number")]
    pub donors_added: i64,
    #[ts(type = "number")]
    pub gifts_added: i64,
}

impl Kizuna {
    /// Adds `donors` sample donors and `gifts` gifts from them: nine in ten
    /// in yen (1,000 to 500,000 in steps of 1,000), one in ten in US dollars
    /// (10.00 to 2,000.00), dated over the first phase.
    pub fn demo_fund(&mut self, donors: usize, gifts: usize, seed: u64) -> Result<FundDemoSummary> {
        if donors == 0 && gifts > 0 {
            return Err(Error::invalid("donors", "gifts need at least one donor"));
        }
        let mut rng = SplitMix(seed);
        let ids: Vec<String> = (0..donors).map(|_| new_id()).collect();
        self.store.write(|w| {
            for (n, id) in ids.iter().enumerate() {
                let no = n + 1;
                let person = rng.below(4) > 0;
                w.insert(
                    "fund_donors",
                    id,
                    &[
                        ("kind", CellValue::text(if person { "person" } else { "organisation" })),
                        ("name_ja", CellValue::text(format!("サンプル寄付者 {no:05}"))),
                        ("name_en", CellValue::text(format!("Sample Donor {no:05}"))),
                        ("reading", CellValue::text(format!("サンプルキフシャ {no:05}"))),
                        ("email", CellValue::text(format!("donor{no}@example.org"))),
                        ("named_consent", CellValue::Integer(i64::from(rng.below(2) == 0))),
                        ("notes", CellValue::text(crate::api::demo::DEMO_NOTE)),
                    ],
                )?;
            }
            Ok(())
        })?;
        let start = NaiveDate::from_ymd_opt(2011, 3, 11).unwrap_or_default();
        self.store.write(|w| {
            let mut next: HashMap<i32, i64> = HashMap::new();
            for _ in 0..gifts {
                let day = start + Duration::days(rng.below(366) as i64);
                let (amount, currency) = if rng.below(10) == 0 {
                    (format!("{}.{:02}", 10 + rng.below(1990), rng.below(100)), "USD")
                } else {
                    (((1 + rng.below(500)) * 1000).to_string(), "JPY")
                };
                let year = day.year();
                let seq = match next.get_mut(&year) {
                    Some(n) => n,
                    None => {
                        let last: Option<i64> = w.conn().query_row(
                            "SELECT max(CAST(substr(receipt_no, 7) AS INTEGER)) FROM gifts WHERE receipt_no GLOB ?1",
                            [format!("R{year:04}-[0-9]*")],
                            |r| r.get(0),
                        )?;
                        next.entry(year).or_insert(last.unwrap_or(0))
                    }
                };
                *seq += 1;
                w.insert(
                    "gifts",
                    &new_id(),
                    &[
                        ("donor_id", CellValue::text(&ids[rng.below(ids.len())])),
                        ("received_on", CellValue::Text(day.to_string())),
                        ("amount", CellValue::Text(amount)),
                        ("currency", CellValue::text(currency)),
                        ("channel", CellValue::text(GIFT_CHANNELS[rng.below(GIFT_CHANNELS.len())].0)),
                        ("receipt_no", CellValue::Text(format!("R{year:04}-{seq:06}"))),
                    ],
                )?;
            }
            Ok(())
        })?;
        Ok(FundDemoSummary { donors_added: donors as i64, gifts_added: gifts as i64 })
    }
}
