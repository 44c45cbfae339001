//! Donation matching: what is offered, what is needed, and the matches
//! between them from proposal to delivery.

use crate::model::{Choice, choices};

/// Who an offer comes from; a donor is a fund donor, a company or other
/// organisation one of the directory's, a member one of the registry's.
pub const SOURCE_KINDS: [(&str, &str, &str); 4] = [
    ("donor", "Donor", "寄付者"),
    ("company", "Company", "企業"),
    ("organisation", "Organisation", "団体"),
    ("member", "Member NGO", "会員団体"),
];

pub const CATEGORIES: [(&str, &str, &str); 8] = [
    ("funds", "Funds", "資金"),
    ("tableware", "Dishes and tableware", "食器"),
    ("mobile_phones", "Mobile phones", "携帯電話"),
    ("computers", "Computers", "パソコン"),
    ("maps", "Maps", "地図"),
    ("staff", "Staff secondment", "人材派遣"),
    ("vehicles", "Vehicles", "車両"),
    ("other", "Other", "その他"),
];

pub const URGENCIES: [(&str, &str, &str); 4] =
    [("low", "Low", "低"), ("normal", "Normal", "通常"), ("high", "High", "高"), ("critical", "Critical", "緊急")];

/// A match's life: proposed, then accepted, then delivered; or declined
/// (before acceptance) or cancelled (after).
pub const MATCH_STATUSES: [(&str, &str, &str); 5] = [
    ("proposed", "Proposed", "提案"),
    ("accepted", "Accepted", "承諾"),
    ("delivered", "Delivered", "配送済み"),
    ("declined", "Declined", "辞退"),
    ("cancelled", "Cancelled", "取消"),
];

pub fn source_kind_choices() -> Vec<Choice> {
    choices(&SOURCE_KINDS)
}

pub fn category_choices() -> Vec<Choice> {
    choices(&CATEGORIES)
}

pub fn urgency_choices() -> Vec<Choice> {
    choices(&URGENCIES)
}

pub fn match_status_choices() -> Vec<Choice> {
    choices(&MATCH_STATUSES)
}
