//! Exact money: a decimal amount with its ISO 4217 currency. JPY has no minor
//! unit, USD has two; amounts are stored as text so nothing is ever rounded by
//! a float on the way through.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Currency {
    JPY,
    USD,
}

impl Currency {
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::JPY => 0,
            Currency::USD => 2,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Currency::JPY => "JPY",
            Currency::USD => "USD",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Currency> {
        match s.trim().to_ascii_uppercase().as_str() {
            "JPY" | "YEN" | "¥" | "円" => Ok(Currency::JPY),
            "USD" | "$" => Ok(Currency::USD),
            other => Err(Error::invalid(field, format!("unknown currency '{other}': use JPY or USD"))),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The largest single amount accepted (a thousand trillion, far above any
/// grant): sums of many such amounts stay far from `Decimal`'s limit.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Money {
    /// Decimal string with exactly the currency's minor digits, e.g. "328709.00" or "1234".
    #[ts(type = "string")]
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        let mut amount = amount;
        amount.rescale(currency.minor_digits());
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// Parses user input: thousands separators and a currency sign are allowed,
    /// a negative amount or more precision than the currency has is refused.
    pub fn parse_amount(field: &str, input: &str, currency: Currency) -> Result<Money> {
        let cleaned: String =
            input.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ' | '$' | '¥' | '￥' | '円')).collect();
        if cleaned.is_empty() {
            return Err(Error::invalid(field, "amount is empty"));
        }
        let amount = Decimal::from_str(&cleaned)
            .map_err(|_| Error::invalid(field, format!("'{}' is not an amount", input.trim())))?;
        Money::checked(field, amount, currency)
    }

    pub fn checked(field: &str, amount: Decimal, currency: Currency) -> Result<Money> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(Error::invalid(field, format!("amount must not be negative (got {amount})")));
        }
        if amount > Decimal::from(MAX_AMOUNT) {
            return Err(Error::invalid(
                field,
                format!(
                    "{amount} is larger than any amount Kizuna accepts ({})",
                    group_thousands(&MAX_AMOUNT.to_string())
                ),
            ));
        }
        if amount.normalize().scale() > currency.minor_digits() {
            return Err(Error::invalid(
                field,
                format!("{amount} has more decimal places than {currency} allows ({})", currency.minor_digits()),
            ));
        }
        Ok(Money::new(amount, currency))
    }

    /// Storage form: the amount as canonical decimal text.
    pub fn amount_text(&self) -> String {
        self.amount.to_string()
    }

    /// Checked sum: mixed currencies or an overflow is an `invalid_input`
    /// error naming `field` (the total being computed), never a panic.
    pub fn add(self, field: &str, other: Money) -> Result<Money> {
        if self.currency != other.currency {
            return Err(Error::invalid(field, format!("cannot add {} to {}", other.currency, self.currency)));
        }
        let sum = self
            .amount
            .checked_add(other.amount)
            .ok_or_else(|| Error::invalid(field, format!("the total overflows ({self} + {other})")))?;
        Ok(Money::new(sum, self.currency))
    }

    /// Checked difference, as [`Money::add`].
    pub fn sub(self, field: &str, other: Money) -> Result<Money> {
        if self.currency != other.currency {
            return Err(Error::invalid(field, format!("cannot subtract {} from {}", other.currency, self.currency)));
        }
        let diff = self
            .amount
            .checked_sub(other.amount)
            .ok_or_else(|| Error::invalid(field, format!("the difference overflows ({self} - {other})")))?;
        Ok(Money::new(diff, self.currency))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", group_thousands(&self.amount.to_string()), self.currency)
    }
}

/// "698709.00" → "698,709.00".
pub fn group_thousands(plain: &str) -> String {
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let m = Money::parse_amount("amount", "$328,709", Currency::USD).unwrap();
        assert_eq!(m.amount_text(), "328709.00");
        assert_eq!(m.to_string(), "328,709.00 USD");
        assert!(Money::parse_amount("amount", "-5", Currency::JPY).is_err());
        assert!(Money::parse_amount("amount", "10.5", Currency::JPY).is_err());
        assert!(Money::parse_amount("amount", "1.234", Currency::USD).is_err());
        assert!(Money::parse_amount("amount", "abc", Currency::USD).is_err());
    }
}
