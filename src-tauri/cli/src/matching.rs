//! `kizuna offer|need|match|matching ...`: donation matching. Offers and
//! needs with what remains of them, suggestions with their reasons, the
//! steps of a match, conflicts after a sync, and the figures of a period.

use clap::{Args, Subcommand};
use kizuna_core::model::matching::{
    Match, MatchConflict, MatchProposal, MatchQuery, MatchStep, MatchingQuery, MatchingStats, Need, NeedDetail,
    NeedInput, NeedQuery, Offer, OfferDetail, OfferInput, OfferQuery,
};
use kizuna_core::model::suggestion::{Suggestion, SuggestionQuery};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum OfferCommand {
    /// Record an offer (--category, --quantity and a source are required)
    Add(OfferFields),
    /// Offers, newest first
    List {
        /// Only offers of this category: funds, tableware, mobile_phones, computers, maps, staff, vehicles or other
        #[arg(long)]
        category: Option<String>,
        /// Only offers in this prefecture (JIS code, English or Japanese name)
        #[arg(long)]
        prefecture: Option<String>,
        /// Only offers with something left and not expired
        #[arg(long)]
        open: bool,
        /// Only over-committed offers
        #[arg(long)]
        over_committed: bool,
        /// Source, description or municipality
        #[arg(long)]
        search: Option<String>,
        /// Skip this many offers
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// An offer with what remains and its matches
    Show {
        /// The offer's id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// The offer's id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: OfferFields,
    },
    /// Remove an offer without open matches
    Remove {
        /// The offer's id, or a unique prefix of it
        id: String,
    },
    /// Needs this offer could serve, best first, with the reasons
    Suggest(SuggestArgs),
}

#[derive(Args)]
pub struct OfferFields {
    /// A fund donor's id
    #[arg(long)]
    donor: Option<String>,
    /// An organisation's id in the directory
    #[arg(long)]
    org: Option<String>,
    /// A member's id or number
    #[arg(long)]
    member: Option<String>,
    /// Who offers, when not a record
    #[arg(long)]
    source_name: Option<String>,
    /// donor, company, organisation or member (default: from the record given)
    #[arg(long)]
    source_kind: Option<String>,
    /// funds, tableware, mobile_phones, computers, maps, staff, vehicles or other
    #[arg(long)]
    category: Option<String>,
    /// What is offered
    #[arg(long)]
    description: Option<String>,
    /// A whole number, 1 or more (required to add)
    #[arg(long, allow_negative_numbers = true)]
    quantity: Option<i64>,
    /// What the quantity counts (boxes, sets, people, ...)
    #[arg(long)]
    unit: Option<String>,
    /// Where it is: JIS code, English or Japanese name
    #[arg(long)]
    prefecture: Option<String>,
    /// Where it is: the municipality
    #[arg(long)]
    municipality: Option<String>,
    /// Latitude, decimal degrees (with --lon)
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<String>,
    /// Longitude, decimal degrees (with --lat)
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<String>,
    /// YYYY-MM-DD (default: today)
    #[arg(long)]
    offered: Option<String>,
    /// Available until, YYYY-MM-DD
    #[arg(long)]
    until: Option<String>,
    /// Conditions the source set (pick-up only, for children, ...)
    #[arg(long)]
    conditions: Option<String>,
    /// The recording office's code (default: this office)
    #[arg(long)]
    office: Option<String>,
}

impl OfferFields {
    fn input(self) -> OfferInput {
        OfferInput {
            source_kind: self.source_kind,
            donor: self.donor,
            organisation: self.org,
            member: self.member,
            source_name: self.source_name,
            category: self.category,
            description: self.description,
            quantity: self.quantity,
            unit: self.unit,
            prefecture: self.prefecture,
            municipality: self.municipality,
            latitude: self.lat,
            longitude: self.lon,
            offered_on: self.offered,
            available_until: self.until,
            conditions: self.conditions,
            office: self.office,
        }
    }
}

#[derive(Subcommand)]
pub enum NeedCommand {
    /// Record a need (--category, --quantity and --member or --site are required)
    Add(NeedFields),
    /// Needs, most urgent first
    List {
        /// Only needs of this category: funds, tableware, mobile_phones, computers, maps, staff, vehicles or other
        #[arg(long)]
        category: Option<String>,
        /// Only needs in this prefecture (JIS code, English or Japanese name)
        #[arg(long)]
        prefecture: Option<String>,
        /// Only needs of this urgency: low, normal, high or critical
        #[arg(long)]
        urgency: Option<String>,
        /// A member's id or number
        #[arg(long)]
        member: Option<String>,
        /// Only needs still lacking something
        #[arg(long)]
        open: bool,
        /// Kana- and width-insensitive text search
        #[arg(long)]
        search: Option<String>,
        /// Skip this many needs
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// A need with what it still lacks and its matches
    Show {
        /// The need's id, or a unique prefix of it
        id: String,
    },
    /// Change only the fields given; an empty value clears an optional field
    Edit {
        /// The need's id, or a unique prefix of it
        id: String,
        #[command(flatten)]
        fields: NeedFields,
    },
    /// Remove a need without open matches
    Remove {
        /// The need's id, or a unique prefix of it
        id: String,
    },
    /// Offers that could serve this need, best first, with the reasons
    Suggest(SuggestArgs),
}

#[derive(Args)]
pub struct NeedFields {
    /// A member's id or number (default: the site's member)
    #[arg(long)]
    member: Option<String>,
    /// A site's id: gives the member and, unless given, the place
    #[arg(long)]
    site: Option<String>,
    /// funds, tableware, mobile_phones, computers, maps, staff, vehicles or other (required to add)
    #[arg(long)]
    category: Option<String>,
    /// What is needed
    #[arg(long)]
    description: Option<String>,
    /// A whole number, 1 or more (required to add)
    #[arg(long, allow_negative_numbers = true)]
    quantity: Option<i64>,
    /// What the quantity counts (boxes, sets, people, ...)
    #[arg(long)]
    unit: Option<String>,
    /// low, normal, high or critical (default normal)
    #[arg(long)]
    urgency: Option<String>,
    /// Where it is needed: JIS code, English or Japanese name (default: the site's)
    #[arg(long)]
    prefecture: Option<String>,
    /// Where it is needed: the municipality (default: the site's)
    #[arg(long)]
    municipality: Option<String>,
    /// Latitude, decimal degrees (with --lon)
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<String>,
    /// Longitude, decimal degrees (with --lat)
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<String>,
    /// YYYY-MM-DD (default: today)
    #[arg(long)]
    raised: Option<String>,
    /// The day it is needed by, YYYY-MM-DD
    #[arg(long)]
    needed_by: Option<String>,
    /// The recording office's code (default: this office)
    #[arg(long)]
    office: Option<String>,
}

impl NeedFields {
    fn input(self) -> NeedInput {
        NeedInput {
            member: self.member,
            site: self.site,
            category: self.category,
            description: self.description,
            quantity: self.quantity,
            unit: self.unit,
            urgency: self.urgency,
            prefecture: self.prefecture,
            municipality: self.municipality,
            latitude: self.lat,
            longitude: self.lon,
            raised_on: self.raised,
            needed_by: self.needed_by,
            office: self.office,
        }
    }
}

#[derive(Args)]
pub struct SuggestArgs {
    /// Its id, or a unique prefix of it
    id: String,
    /// How many (default 10)
    #[arg(long)]
    limit: Option<u32>,
    /// The day ages count to, YYYY-MM-DD (default: today)
    #[arg(long)]
    on: Option<String>,
}

impl SuggestArgs {
    fn query(self) -> (String, SuggestionQuery) {
        (self.id, SuggestionQuery { limit: self.limit, on: self.on })
    }
}

#[derive(Subcommand)]
pub enum MatchCommand {
    /// Propose a match (quantity: what the offer has left or the need lacks, whichever is less)
    Propose {
        /// The offer's id, or a unique prefix of it
        #[arg(long)]
        offer: String,
        /// The need's id, or a unique prefix of it
        #[arg(long)]
        need: String,
        /// A whole number, 1 or more (default: as much as both allow)
        #[arg(long, allow_negative_numbers = true)]
        quantity: Option<i64>,
        /// YYYY-MM-DD (default: today)
        #[arg(long)]
        date: Option<String>,
        /// Free-text notes
        #[arg(long)]
        notes: Option<String>,
    },
    /// Accept a proposed match (optionally for less)
    Accept(StepArgs),
    /// Record the delivery of an accepted match (--quantity for a partial one)
    Deliver(StepArgs),
    /// Decline a proposed match
    Decline(StepArgs),
    /// Cancel an accepted match
    Cancel(StepArgs),
    /// Lower a proposed or accepted match's quantity
    Reduce {
        /// The match's id, or a unique prefix of it
        id: String,
        /// The new, smaller quantity
        #[arg(long, allow_negative_numbers = true)]
        quantity: i64,
    },
    /// A match with its steps
    Show {
        /// The match's id, or a unique prefix of it
        id: String,
    },
    /// Matches, newest first
    List {
        /// Only matches of this offer (id or unique prefix)
        #[arg(long)]
        offer: Option<String>,
        /// Only matches of this need (id or unique prefix)
        #[arg(long)]
        need: Option<String>,
        /// proposed, accepted, delivered, declined or cancelled
        #[arg(long)]
        status: Option<String>,
        /// The member the need is for: id or number
        #[arg(long)]
        member: Option<String>,
        /// Skip this many matches
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// Show at most this many (up to 500)
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Over-committed offers with their competing matches
    Conflicts,
}

#[derive(Args)]
pub struct StepArgs {
    /// The match's id, or a unique prefix of it
    id: String,
    /// A smaller quantity than the match's (accept or deliver part of it)
    #[arg(long, allow_negative_numbers = true)]
    quantity: Option<i64>,
    /// YYYY-MM-DD (default: today)
    #[arg(long)]
    date: Option<String>,
    /// Free-text notes
    #[arg(long)]
    notes: Option<String>,
}

impl StepArgs {
    fn step(self) -> (String, MatchStep) {
        (self.id, MatchStep { on: self.date, quantity: self.quantity, notes: self.notes })
    }
}

#[derive(Subcommand)]
pub enum MatchingCommand {
    /// Offers received and delivered by category, days to delivery, what each member received
    Stats {
        /// YYYY-MM-DD, inclusive (default: from the first record)
        #[arg(long)]
        from: Option<String>,
        /// YYYY-MM-DD, inclusive (default: today)
        #[arg(long)]
        to: Option<String>,
    },
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_string(), T::to_string)
}

fn offer_line(o: &Offer) -> String {
    format!(
        "{}  {}  {:<13} {} {}  remaining {}{}  {}  {}",
        o.id,
        opt(&o.offered_on),
        o.category,
        o.quantity,
        o.unit.as_deref().unwrap_or(""),
        o.remaining,
        if o.over_committed { " OVER-COMMITTED" } else { "" },
        o.source_label,
        o.prefecture_code.as_deref().unwrap_or("-"),
    )
}

fn need_line(n: &Need) -> String {
    format!(
        "{}  {}  {:<13} {:<8} {} {}  remaining {}  {}  {}",
        n.id,
        opt(&n.raised_on),
        n.category,
        n.urgency,
        n.quantity,
        n.unit.as_deref().unwrap_or(""),
        n.remaining,
        n.member_name_ja.as_deref().or(n.member_name_en.as_deref()).unwrap_or("-"),
        n.prefecture_code.as_deref().unwrap_or("-"),
    )
}

fn match_line(m: &Match) -> String {
    let delivered = m.delivered_quantity.map(|d| format!(" delivered {d}")).unwrap_or_default();
    format!(
        "{}  {:<9} {}{}  offer {}  need {}  proposed {} by {}",
        m.id,
        m.status,
        m.quantity,
        delivered,
        m.offer_id,
        m.need_id,
        opt(&m.proposed_on),
        m.proposed_by_code.as_deref().unwrap_or("-"),
    )
}

fn describe_offer(d: &OfferDetail) -> String {
    let o = &d.offer;
    let mut s = offer_line(o);
    s.push_str(&format!(
        "\n  committed {}  delivered {}  proposed {}{}",
        o.committed,
        o.delivered,
        o.proposed,
        if o.expired { "  EXPIRED" } else { "" }
    ));
    if let Some(desc) = &o.description {
        s.push_str(&format!("\n  {desc}"));
    }
    for m in &d.matches {
        s.push_str(&format!("\n    {}", match_line(m)));
    }
    s
}

fn describe_need(d: &NeedDetail) -> String {
    let n = &d.need;
    let mut s = need_line(n);
    s.push_str(&format!("\n  committed {}  delivered {}  proposed {}", n.committed, n.delivered, n.proposed));
    if let Some(desc) = &n.description {
        s.push_str(&format!("\n  {desc}"));
    }
    for m in &d.matches {
        s.push_str(&format!("\n    {}", match_line(m)));
    }
    s
}

fn describe_suggestions(list: &[Suggestion]) -> String {
    if list.is_empty() {
        return "No suggestions".into();
    }
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "{:>2}. {:>6.2}  offer {}  need {}  {}\n      {}",
                i + 1,
                s.score,
                s.offer.id,
                s.need.id,
                s.quantity,
                s.text_en
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe_conflicts(list: &[MatchConflict]) -> String {
    if list.is_empty() {
        return "No over-committed offers".into();
    }
    let mut s = Vec::new();
    for c in list {
        s.push(format!("{}  over by {}", offer_line(&c.offer), c.over_by));
        for m in &c.matches {
            s.push(format!("    {}", match_line(m)));
        }
    }
    s.join("\n")
}

fn describe_stats(m: &MatchingStats) -> String {
    let mut s = format!(
        "Period: {} to {}\nOffers: {}  Needs raised: {}  Deliveries: {}\n",
        m.from.map(|d| d.to_string()).unwrap_or_else(|| "the first record".into()),
        m.to,
        m.offers,
        m.needs,
        m.deliveries
    );
    for c in m.by_category.iter().filter(|c| c.offers > 0 || c.deliveries > 0) {
        s.push_str(&format!(
            "  {:<14} offers {} ({} offered)  deliveries {} ({} delivered)\n",
            c.category, c.offers, c.offered_quantity, c.deliveries, c.delivered_quantity
        ));
    }
    s.push_str(&format!(
        "Days from need to delivery: mean {}, median {}\n",
        opt(&m.days_to_delivery_mean),
        opt(&m.days_to_delivery_median)
    ));
    for r in &m.by_member {
        s.push_str(&format!(
            "  {}  {}  {}  {} deliveries, {} {}\n",
            r.member_no.as_deref().unwrap_or("-"),
            r.name_ja.as_deref().unwrap_or("-"),
            r.category,
            r.deliveries,
            r.quantity,
            r.unit.as_deref().unwrap_or("")
        ));
    }
    s.push_str(&format!("Over-committed offers: {}", m.over_committed_offers));
    s
}

fn removed(out: &Out, what: &str, id: &str) {
    out.emit(&serde_json::json!({ "removed": id }), |_| format!("Removed {what} {id}"));
}

pub fn run_offer(cmd: OfferCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        OfferCommand::Add(f) => out.emit(&k.offer_add(&f.input())?, describe_offer),
        OfferCommand::List { category, prefecture, open, over_committed, search, offset, limit } => {
            let q = OfferQuery {
                category,
                prefecture,
                open_only: Some(open),
                over_committed: Some(over_committed),
                search,
                offset: Some(offset),
                limit: Some(limit),
            };
            out.emit(&k.offer_list(&q)?, |p| {
                let mut s: Vec<String> = p.rows.iter().map(offer_line).collect();
                s.push(format!("{} of {} offers", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        OfferCommand::Show { id } => out.emit(&k.offer_show(&id)?, describe_offer),
        OfferCommand::Edit { id, fields } => out.emit(&k.offer_edit(&id, &fields.input())?, describe_offer),
        OfferCommand::Remove { id } => {
            k.offer_remove(&id)?;
            removed(out, "offer", &id);
        }
        OfferCommand::Suggest(args) => {
            let (id, q) = args.query();
            out.emit(&k.offer_suggest(&id, &q)?, |l| describe_suggestions(l));
        }
    }
    Ok(())
}

pub fn run_need(cmd: NeedCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        NeedCommand::Add(f) => out.emit(&k.need_add(&f.input())?, describe_need),
        NeedCommand::List { category, prefecture, urgency, member, open, search, offset, limit } => {
            let q = NeedQuery {
                category,
                prefecture,
                urgency,
                member,
                open_only: Some(open),
                search,
                offset: Some(offset),
                limit: Some(limit),
            };
            out.emit(&k.need_list(&q)?, |p| {
                let mut s: Vec<String> = p.rows.iter().map(need_line).collect();
                s.push(format!("{} of {} needs", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        NeedCommand::Show { id } => out.emit(&k.need_show(&id)?, describe_need),
        NeedCommand::Edit { id, fields } => out.emit(&k.need_edit(&id, &fields.input())?, describe_need),
        NeedCommand::Remove { id } => {
            k.need_remove(&id)?;
            removed(out, "need", &id);
        }
        NeedCommand::Suggest(args) => {
            let (id, q) = args.query();
            out.emit(&k.need_suggest(&id, &q)?, |l| describe_suggestions(l));
        }
    }
    Ok(())
}

pub fn run_match(cmd: MatchCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        MatchCommand::Propose { offer, need, quantity, date, notes } => {
            let p = MatchProposal { offer: Some(offer), need: Some(need), quantity, on: date, notes };
            out.emit(&k.match_propose(&p)?, match_line);
        }
        MatchCommand::Accept(a) => {
            let (id, step) = a.step();
            out.emit(&k.match_accept(&id, &step)?, match_line);
        }
        MatchCommand::Deliver(a) => {
            let (id, step) = a.step();
            out.emit(&k.match_deliver(&id, &step)?, match_line);
        }
        MatchCommand::Decline(a) => {
            let (id, step) = a.step();
            out.emit(&k.match_decline(&id, &step)?, match_line);
        }
        MatchCommand::Cancel(a) => {
            let (id, step) = a.step();
            out.emit(&k.match_cancel(&id, &step)?, match_line);
        }
        MatchCommand::Reduce { id, quantity } => out.emit(&k.match_reduce(&id, quantity)?, match_line),
        MatchCommand::Show { id } => out.emit(&k.match_show(&id)?, match_line),
        MatchCommand::List { offer, need, status, member, offset, limit } => {
            let q = MatchQuery { offer, need, status, member, offset: Some(offset), limit: Some(limit) };
            out.emit(&k.match_list(&q)?, |p| {
                let mut s: Vec<String> = p.rows.iter().map(match_line).collect();
                s.push(format!("{} of {} matches", p.rows.len(), p.total));
                s.join("\n")
            });
        }
        MatchCommand::Conflicts => out.emit(&k.match_conflicts()?, |l| describe_conflicts(l)),
    }
    Ok(())
}

pub fn run_matching(cmd: MatchingCommand, k: &Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        MatchingCommand::Stats { from, to } => {
            out.emit(&k.matching_stats(&MatchingQuery { from, to })?, describe_stats);
        }
    }
    Ok(())
}
