//! `kizuna donor|gift|fund ...`: the pooled relief fund (HQ writes, every
//! office reads): donors, gifts with their receipts and statements,
//! distributions to members, conversions and the ledger.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use kizuna_core::model::fund::{
    Conversion, ConversionInput, Distribution, DistributionInput, DistributionQuery, FundDonor, FundDonorInput,
    FundDonorQuery, FundTotalsQuery, Gift, GiftInput, GiftQuery, Ledger, LedgerQuery,
};
use kizuna_core::money::Money;
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum DonorCommand {
    /// Record a donor to the pooled fund (a name in Japanese or English is required)
    Add(DonorFields),
    /// Donors by reading; --search matches names, reading and email
    List {
        /// Kana- and width-insensitive
        #[arg(long)]
        search: Option<String>,
        /// Skip this many donors
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// A donor's record
    Show {
        /// The donor's id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// The donor's id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: DonorFields,
    },
    /// Remove a donor without recorded gifts
    Remove {
        /// The donor's id, or a unique prefix of it
        id: String,
    },
}

#[derive(Args)]
pub struct DonorFields {
    /// person (default) or organisation
    #[arg(long)]
    kind: Option<String>,
    /// Name in Japanese (this or --name-en is required to add)
    #[arg(long)]
    name_ja: Option<String>,
    /// Name in English
    #[arg(long)]
    name_en: Option<String>,
    /// Kana reading of the Japanese name
    #[arg(long)]
    reading: Option<String>,
    /// Country of residence or registration
    #[arg(long)]
    country: Option<String>,
    /// E-mail address
    #[arg(long)]
    email: Option<String>,
    /// Phone number
    #[arg(long)]
    phone: Option<String>,
    /// Postal address (printed on receipts)
    #[arg(long)]
    address: Option<String>,
    /// Agreed to be named in reports: true or false
    #[arg(long)]
    consent: Option<bool>,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
}

impl DonorFields {
    fn input(self) -> FundDonorInput {
        FundDonorInput {
            kind: self.kind,
            name_ja: self.name_ja,
            name_en: self.name_en,
            reading: self.reading,
            country: self.country,
            email: self.email,
            phone: self.phone,
            address: self.address,
            named_consent: self.consent,
            notes: self.notes,
        }
    }
}

#[derive(Subcommand)]
pub enum GiftCommand {
    /// Record a gift; HQ gives it the next receipt number of its year (--donor, --date, --amount and --currency are required)
    Add(GiftFields),
    /// Gifts, newest first, with totals per currency
    List {
        /// A donor's id
        #[arg(long)]
        donor: Option<String>,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        to: Option<String>,
        /// Only gifts in this currency: JPY or USD
        #[arg(long)]
        currency: Option<String>,
        /// Skip this many gifts
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// A gift by id or receipt number
    Show {
        /// The gift's id, a unique prefix of it, or its receipt number
        id: String,
    },
    /// Change only the fields given; the receipt number never changes
    Edit {
        /// The gift's id, a unique prefix of it, or its receipt number
        id: String,
        #[command(flatten)]
        fields: GiftFields,
    },
    /// Remove a gift (`kizuna removed restore ID` brings it back)
    Remove {
        /// The gift's id, a unique prefix of it, or its receipt number
        id: String,
    },
    /// Write a gift's receipt (ja/en PDF)
    Receipt {
        /// The gift's id, a unique prefix of it, or its receipt number
        id: String,
        /// The PDF file to write
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a donor's annual statement of gifts (ja/en PDF)
    Statement {
        /// The donor's id
        #[arg(long)]
        donor: String,
        /// The calendar year, e.g. 2011
        #[arg(long)]
        year: i32,
        /// The PDF file to write
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
pub struct GiftFields {
    /// The donor's id (required to add)
    #[arg(long)]
    donor: Option<String>,
    /// The day it was received, YYYY-MM-DD (required to add)
    #[arg(long)]
    date: Option<String>,
    /// Exact decimal: 10000 (JPY), 250.50 (USD) (required to add)
    #[arg(long, allow_hyphen_values = true)]
    amount: Option<String>,
    /// JPY or USD (required to add)
    #[arg(long)]
    currency: Option<String>,
    /// bank_transfer (default), card, cash or online
    #[arg(long)]
    channel: Option<String>,
    /// A purpose or restriction the donor set
    #[arg(long)]
    purpose: Option<String>,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
}

impl GiftFields {
    fn input(self) -> GiftInput {
        GiftInput {
            donor: self.donor,
            received_on: self.date,
            amount: self.amount,
            currency: self.currency,
            channel: self.channel,
            purpose: self.purpose,
            notes: self.notes,
        }
    }
}

#[derive(Subcommand)]
pub enum FundCommand {
    /// Divide an amount equally among members (the remainder rotates)
    Distribute {
        /// The amount to divide, exact decimal
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// JPY or USD
        #[arg(long)]
        currency: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        /// Member ids or numbers, comma-separated (default: members with an active site)
        #[arg(long, value_delimiter = ',', conflicts_with_all = ["eligible_on", "prefectures"])]
        members: Vec<String>,
        /// The day site activity is judged on (default: --date)
        #[arg(long)]
        eligible_on: Option<String>,
        /// Prefectures, comma-separated (default: 03,04,07 — Iwate, Miyagi, Fukushima)
        #[arg(long, value_delimiter = ',')]
        prefectures: Vec<String>,
        /// Free-text notes
        #[arg(long)]
        notes: Option<String>,
        /// Compute and show the split without writing it
        #[arg(long)]
        dry_run: bool,
    },
    /// Distributions, oldest first, with each member's share
    Distributions {
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        to: Option<String>,
        /// Only distributions in this currency: JPY or USD
        #[arg(long)]
        currency: Option<String>,
    },
    /// One distribution with its shares
    Distribution {
        /// The distribution's id, or a unique prefix of it
        id: String,
    },
    /// Remove a distribution: its money returns to the fund
    Undistribute {
        /// The distribution's id, or a unique prefix of it
        id: String,
    },
    /// Convert an amount of the fund into the other currency at a recorded rate
    Convert {
        /// The day of the conversion, YYYY-MM-DD
        #[arg(long)]
        date: String,
        /// The amount converted, in --from's currency
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// The currency converted from
        #[arg(long)]
        from: String,
        /// The currency converted into
        #[arg(long)]
        to: String,
        /// Units of --to per unit of --from (0.0125 for JPY → USD)
        #[arg(long)]
        rate: String,
        /// Free-text notes
        #[arg(long)]
        notes: Option<String>,
    },
    /// Every conversion
    Conversions,
    /// Balances, gifts, conversions and distributions for a period, and each member's total
    Ledger {
        /// YYYY-MM-DD, inclusive (default: from the first record)
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD, inclusive (default: to the last record)
        #[arg(long)]
        to: Option<String>,
    },
    /// Donors and the total contributed in a period (the report's "over 1,500 donors, over $1 million")
    Totals {
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD, inclusive
        #[arg(long)]
        to: Option<String>,
        /// Count yen gifts in the USD total at this many USD per JPY
        #[arg(long)]
        usd_per_jpy: Option<String>,
    },
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

pub fn describe_donor(d: &FundDonor) -> String {
    let mut s = format!("{}  {}  [{}]\n", d.id, d.display_name(), d.kind);
    let mut line = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.push_str(&format!("  {k:<12} {v}\n"));
        }
    };
    line("reading", d.reading.as_deref());
    line("country", d.country.as_deref());
    line("email", d.email.as_deref());
    line("phone", d.phone.as_deref());
    line("address", d.address.as_deref());
    line("notes", d.notes.as_deref());
    s.push_str(&format!("  {:<12} {}", "named", if d.named_consent { "yes" } else { "no" }));
    s
}

pub fn gift_line(g: &Gift) -> String {
    let donor = g.donor_name_ja.as_deref().or(g.donor_name_en.as_deref()).unwrap_or("");
    format!("{}  {}  {:>18}  {:<13} {}  {}", g.receipt_no, g.received_on, g.amount.to_string(), g.channel, donor, g.id)
}

fn describe_gift(g: &Gift) -> String {
    let mut s = gift_line(g);
    if let Some(p) = &g.purpose {
        s.push_str(&format!("\n  purpose  {p}"));
    }
    if let Some(n) = &g.notes {
        s.push_str(&format!("\n  notes    {n}"));
    }
    s
}

fn describe_distribution(d: &Distribution) -> String {
    let mut s = format!(
        "{}  {}  {}  {} members, remainder {} from cursor {}{}\n",
        d.id.as_deref().unwrap_or("(dry run: nothing written)"),
        d.distributed_on,
        d.amount,
        d.shares.len(),
        d.remainder,
        d.cursor,
        d.eligible_on.map(|e| format!(", active sites on {e} in {}", d.prefectures.join(","))).unwrap_or_default()
    );
    for sh in &d.shares {
        s.push_str(&format!(
            "  {:<10} {:>18}{}  {}\n",
            opt(&sh.member_no),
            sh.amount.to_string(),
            if sh.remainder_unit { " +1" } else { "   " },
            sh.name_ja.as_deref().or(sh.name_en.as_deref()).unwrap_or(&sh.member_id)
        ));
    }
    s.trim_end().to_string()
}

fn describe_conversion(c: &Conversion) -> String {
    format!("{}  {}  {} → {} at {}  ({})", c.id, c.converted_on, c.from, c.to, c.rate.normalize(), c.rounding)
}

fn moneys(list: &[Money]) -> String {
    if list.is_empty() { "0".into() } else { list.iter().map(Money::to_string).collect::<Vec<_>>().join(" + ") }
}

/// One end of a period, "…" when open.
fn period<D: std::fmt::Display>(d: Option<D>) -> String {
    d.map_or("…".to_string(), |d| d.to_string())
}

fn describe_ledger(l: &Ledger) -> String {
    let mut s = format!("Ledger {} – {}: {} gifts from {} donors\n", period(l.from), period(l.to), l.gifts, l.donors);
    for c in &l.currencies {
        s.push_str(&format!(
            "{}\n  opening          {:>20}\n  gifts in ({:>5}) {:>20}\n  converted in     {:>20}\n  converted out    {:>20}\n  distributed ({:>3}){:>20}\n  closing          {:>20}\n",
            c.currency,
            c.opening.to_string(),
            c.gifts,
            c.gifts_in.to_string(),
            c.converted_in.to_string(),
            c.converted_out.to_string(),
            c.distributions,
            c.distributed_out.to_string(),
            c.closing.to_string()
        ));
    }
    s.push_str(&format!("Received by members to {}:", period(l.to)));
    for m in &l.members {
        s.push_str(&format!(
            "\n  {:<10} {}  {}",
            opt(&m.member_no),
            moneys(&m.received),
            m.name_ja.as_deref().or(m.name_en.as_deref()).unwrap_or(&m.member_id)
        ));
    }
    s
}

pub fn run_donor(cmd: DonorCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        DonorCommand::Add(f) => out.emit(&k.donor_add(&f.input())?, describe_donor),
        DonorCommand::List { search, offset, limit } => {
            let page = k.donor_list(&FundDonorQuery { search, offset: Some(offset), limit: Some(limit) })?;
            out.emit(&page, |p| {
                let mut s: Vec<String> =
                    p.rows.iter().map(|d| format!("{}  {}  {}", d.id, d.display_name(), opt(&d.email))).collect();
                s.push(format!("{} of {} donors", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        DonorCommand::Show { id } => out.emit(&k.donor_show(&id)?, describe_donor),
        DonorCommand::Edit { id, fields } => out.emit(&k.donor_edit(&id, &fields.input())?, describe_donor),
        DonorCommand::Remove { id } => {
            k.donor_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed donor {id}"));
        }
    }
    Ok(())
}

pub fn run_gift(cmd: GiftCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        GiftCommand::Add(f) => out.emit(&k.gift_add(&f.input())?, describe_gift),
        GiftCommand::List { donor, from, to, currency, offset, limit } => {
            let q = GiftQuery { donor, from, to, currency, offset: Some(offset), limit: Some(limit) };
            out.emit(&k.gift_list(&q)?, |p| {
                let mut s: Vec<String> = p.rows.iter().map(gift_line).collect();
                s.push(format!("{} of {} gifts; total {}", p.rows.len(), p.total, moneys(&p.totals)));
                s.join("\n")
            });
        }
        GiftCommand::Show { id } => out.emit(&k.gift_resolve(&id)?, describe_gift),
        GiftCommand::Edit { id, fields } => out.emit(&k.gift_edit(&id, &fields.input())?, describe_gift),
        GiftCommand::Remove { id } => {
            k.gift_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed gift {id}"));
        }
        GiftCommand::Receipt { id, out: file } => {
            let gift = k.gift_resolve(&id)?;
            k.gift_receipt_to(&gift.id, &file)?;
            let path = file.display().to_string();
            out.emit(&serde_json::json!({ "receipt_no": gift.receipt_no, "path": path }), |_| {
                format!("Wrote receipt {} to {path}", gift.receipt_no)
            });
        }
        GiftCommand::Statement { donor, year, out: file } => {
            let statement = k.donor_statement(&donor, year)?;
            k.donor_statement_to(&donor, year, &file)?;
            let path = file.display().to_string();
            let summary = serde_json::json!({
                "donor_id": statement.donor.id, "year": year, "gifts": statement.gifts.len(),
                "totals": statement.totals, "path": path,
            });
            out.emit(&summary, |_| {
                format!(
                    "Wrote the {year} statement of {} ({} gifts, {}) to {path}",
                    statement.donor.display_name(),
                    statement.gifts.len(),
                    moneys(&statement.totals)
                )
            });
        }
    }
    Ok(())
}

pub fn run_fund(cmd: FundCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        FundCommand::Distribute { amount, currency, date, members, eligible_on, prefectures, notes, dry_run } => {
            let input = DistributionInput {
                amount: Some(amount),
                currency: Some(currency),
                distributed_on: Some(date),
                members: (!members.is_empty()).then_some(members),
                eligible_on,
                prefectures: (!prefectures.is_empty()).then_some(prefectures),
                notes,
                dry_run: Some(dry_run),
            };
            out.emit(&k.distribute(&input)?, describe_distribution);
        }
        FundCommand::Distributions { from, to, currency } => {
            let list = k.distribution_list(&DistributionQuery { from, to, currency })?;
            out.emit(&list, |l| l.iter().map(describe_distribution).collect::<Vec<_>>().join("\n"));
        }
        FundCommand::Distribution { id } => out.emit(&k.distribution_show(&id)?, describe_distribution),
        FundCommand::Undistribute { id } => {
            k.distribution_remove(&id)?;
            out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed distribution {id}"));
        }
        FundCommand::Convert { date, amount, from, to, rate, notes } => {
            let input = ConversionInput {
                converted_on: Some(date),
                from_amount: Some(amount),
                from_currency: Some(from),
                to_currency: Some(to),
                rate: Some(rate),
                notes,
            };
            out.emit(&k.convert(&input)?, describe_conversion);
        }
        FundCommand::Conversions => {
            out.emit(&k.conversion_list()?, |l| l.iter().map(describe_conversion).collect::<Vec<_>>().join("\n"))
        }
        FundCommand::Ledger { from, to } => out.emit(&k.fund_ledger(&LedgerQuery { from, to })?, describe_ledger),
        FundCommand::Totals { from, to, usd_per_jpy } => {
            out.emit(&k.fund_totals(&FundTotalsQuery { from, to, usd_per_jpy })?, |t| {
                format!(
                    "{} donors, {} gifts; received {}; USD figure {} ({})",
                    t.donors,
                    t.gifts,
                    moneys(&t.received),
                    t.usd_total,
                    t.basis
                )
            })
        }
    }
    Ok(())
}
