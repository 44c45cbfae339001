//! The pooled relief fund: its donors, their gifts, the distributions to
//! member NGOs and the currency conversions between them.

use crate::model::{Choice, choices};

pub const DONOR_KINDS: [(&str, &str, &str); 2] =
    [("person", "Person", "個人"), ("organisation", "Organisation", "団体・法人")];

pub const GIFT_CHANNELS: [(&str, &str, &str); 4] = [
    ("bank_transfer", "Bank transfer", "銀行振込"),
    ("card", "Credit card", "クレジットカード"),
    ("cash", "Cash", "現金"),
    ("online", "Online platform", "オンライン募金"),
];

pub fn donor_kind_choices() -> Vec<Choice> {
    choices(&DONOR_KINDS)
}

pub fn gift_channel_choices() -> Vec<Choice> {
    choices(&GIFT_CHANNELS)
}
