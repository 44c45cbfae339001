//! `kizuna narrative set|show|list`: the period narrative and sign-off of a
//! phase report (HQ).

use clap::{Args, Subcommand};
use kizuna_core::model::narrative::{ActivityResultInput, Narrative, NarrativeInput};
use kizuna_core::{Error, Kizuna};

use crate::output::Out;

#[derive(Subcommand)]
pub enum NarrativeCommand {
    /// Write the given fields of a period's narrative (created on first use); an empty value clears a field
    Set(Box<NarrativeFields>),
    /// A period's narrative, and what a final report still lacks
    Show {
        /// The phase's id (see `kizuna grant list`)
        phase: String,
        /// First day of the reporting period (YYYY-MM-DD); default: the phase's start
        #[arg(long)]
        period_start: Option<String>,
        /// Last day of the reporting period (YYYY-MM-DD); default: the phase's end
        #[arg(long)]
        period_end: Option<String>,
    },
    /// Every recorded narrative, or one phase's
    List {
        /// The phase's id, or a unique prefix of it
        #[arg(long)]
        phase: Option<String>,
    },
}

#[derive(Args)]
pub struct NarrativeFields {
    /// The phase's id (see `kizuna grant list`)
    phase: String,
    /// First day of the reporting period (YYYY-MM-DD); default: the phase's start
    #[arg(long)]
    period_start: Option<String>,
    /// Last day of the reporting period (YYYY-MM-DD); default: the phase's end
    #[arg(long)]
    period_end: Option<String>,
    /// Repeatable: the result against an activity, in English, as N=TEXT (N: the activity's number or id)
    #[arg(long = "result-en", value_name = "N=TEXT")]
    results_en: Vec<String>,
    /// Repeatable: the same in Japanese
    #[arg(long = "result-ja", value_name = "N=TEXT")]
    results_ja: Vec<String>,
    /// Challenges met in the period, in English
    #[arg(long)]
    challenges_en: Option<String>,
    /// Challenges met in the period, in Japanese
    #[arg(long)]
    challenges_ja: Option<String>,
    /// Lessons learned, in English
    #[arg(long)]
    lessons_en: Option<String>,
    /// Lessons learned, in Japanese
    #[arg(long)]
    lessons_ja: Option<String>,
    /// Next steps, in English
    #[arg(long)]
    next_steps_en: Option<String>,
    /// Next steps, in Japanese
    #[arg(long)]
    next_steps_ja: Option<String>,
    /// People reached in the period (a whole number)
    #[arg(long)]
    people_reached: Option<String>,
    /// How the people reached were counted
    #[arg(long)]
    people_basis_en: Option<String>,
    /// How the people reached were counted, in Japanese
    #[arg(long)]
    people_basis_ja: Option<String>,
    /// Who prepared the report
    #[arg(long)]
    prepared_by: Option<String>,
    /// The preparer's title (English)
    #[arg(long)]
    preparer_title_en: Option<String>,
    /// The preparer's title in Japanese
    #[arg(long)]
    preparer_title_ja: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    prepared_on: Option<String>,
    /// Who approved the report
    #[arg(long)]
    approved_by: Option<String>,
    /// The approver's title in English
    #[arg(long)]
    approver_title_en: Option<String>,
    /// The approver's title in Japanese
    #[arg(long)]
    approver_title_ja: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    approved_on: Option<String>,
}

fn split_result(arg: &str) -> Result<(String, String), Error> {
    arg.split_once('=')
        .map(|(a, t)| (a.trim().to_string(), t.to_string()))
        .ok_or_else(|| Error::invalid("result", format!("'{arg}' is not N=TEXT (N: the activity's number or id)")))
}

impl NarrativeFields {
    fn input(self) -> Result<NarrativeInput, Error> {
        let mut results: Vec<ActivityResultInput> = Vec::new();
        for (args, en) in [(&self.results_en, true), (&self.results_ja, false)] {
            for a in args {
                let (activity, text) = split_result(a)?;
                let slot = match results.iter_mut().position(|r| r.activity == activity) {
                    Some(i) => &mut results[i],
                    None => {
                        results.push(ActivityResultInput { activity, ..Default::default() });
                        let last = results.len() - 1;
                        &mut results[last]
                    }
                };
                if en {
                    slot.text_en = Some(text);
                } else {
                    slot.text_ja = Some(text);
                }
            }
        }
        Ok(NarrativeInput {
            phase_id: self.phase,
            period_start: self.period_start,
            period_end: self.period_end,
            results: (!results.is_empty()).then_some(results),
            challenges_en: self.challenges_en,
            challenges_ja: self.challenges_ja,
            lessons_en: self.lessons_en,
            lessons_ja: self.lessons_ja,
            next_steps_en: self.next_steps_en,
            next_steps_ja: self.next_steps_ja,
            people_reached: self.people_reached,
            people_basis_en: self.people_basis_en,
            people_basis_ja: self.people_basis_ja,
            prepared_by: self.prepared_by,
            preparer_title_en: self.preparer_title_en,
            preparer_title_ja: self.preparer_title_ja,
            prepared_on: self.prepared_on,
            approved_by: self.approved_by,
            approver_title_en: self.approver_title_en,
            approver_title_ja: self.approver_title_ja,
            approved_on: self.approved_on,
        })
    }
}

fn describe(n: &Narrative) -> String {
    let mut s = format!("Narrative {} – {} (phase {})\n", n.period_start, n.period_end, n.phase_id);
    let field = |label: &str, en: &Option<String>, ja: &Option<String>| {
        let v = [en.as_deref(), ja.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" / ");
        format!("  {label:<14} {}\n", if v.is_empty() { "—" } else { &v })
    };
    for r in &n.results {
        s.push_str(&field(&format!("result {}", r.activity_id), &r.text_en, &r.text_ja));
    }
    s.push_str(&field("challenges", &n.challenges_en, &n.challenges_ja));
    s.push_str(&field("lessons", &n.lessons_en, &n.lessons_ja));
    s.push_str(&field("next steps", &n.next_steps_en, &n.next_steps_ja));
    s.push_str(&format!(
        "  {:<14} {}\n",
        "people",
        n.people_reached.map_or_else(|| "—".to_string(), |p| p.to_string())
    ));
    s.push_str(&field("basis", &n.people_basis_en, &n.people_basis_ja));
    s.push_str(&field("prepared by", &n.prepared_by, &n.preparer_title_en));
    s.push_str(&field("approved by", &n.approved_by, &n.approver_title_en));
    if n.missing.is_empty() {
        s.push_str("Complete: a final report can be exported");
    } else {
        s.push_str(&format!("Missing for a final report: {}", n.missing.join(", ")));
    }
    s
}

pub fn run(cmd: NarrativeCommand, k: &mut Kizuna, out: &Out) -> Result<(), Error> {
    match cmd {
        NarrativeCommand::Set(fields) => {
            let n = k.narrative_set(&fields.input()?)?;
            out.emit(&n, describe);
        }
        NarrativeCommand::Show { phase, period_start, period_end } => {
            let n = k.narrative_show(&phase, period_start.as_deref(), period_end.as_deref())?;
            out.emit(&n, describe);
        }
        NarrativeCommand::List { phase } => {
            let list = k.narrative_list(phase.as_deref())?;
            out.emit(&list, |l| {
                if l.is_empty() {
                    return "No narratives recorded".into();
                }
                l.iter()
                    .map(|n| {
                        let state = if n.missing.is_empty() {
                            "complete".to_string()
                        } else {
                            format!("{} missing", n.missing.len())
                        };
                        format!("{}  {} – {}  {state}", n.phase_id, n.period_start, n.period_end)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
