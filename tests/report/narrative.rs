//! What a programme officer reads in a phase report: the period narrative
//! (or a plain draft notice), figures stated once beside what the source
//! reported, the sign-off, the sample-data mark, the Japanese edition and
//! the map; and the page and section order of the reference data set.

use std::path::Path;
use std::process::Command;

use super::{assert_has, json, ok, phase1, report, seeded, squeezed};
use crate::common::kizuna;

/// A complete narrative and sign-off for phase 1's whole period, English only
/// but for one Japanese result.
fn set_narrative(dir: &Path, p1: &str) {
    ok(
        dir,
        &[
            "narrative",
            "set",
            p1,
            "--result-en",
            "1=Held 24 information-sharing meetings in Tono, Sendai and Fukushima.",
            "--result-ja",
            "1=遠野・仙台・福島で情報共有会議を24回開催した。",
            "--result-en",
            "2=Sent 48 mailings to the master list.",
            "--result-en",
            "3=Opened the pooled fund account.",
            "--result-en",
            "4=Matched 120 computers with member NGOs.",
            "--result-en",
            "5=Consolidated three policy recommendations.",
            "--result-en",
            "6=Submitted appeals through the Japan Civil Network.",
            "--challenges-en",
            "Fuel shortages delayed field visits in April.",
            "--lessons-en",
            "Small NGOs need information in Japanese first.",
            "--next-steps-en",
            "Hand the Tono meeting over to local groups.",
            "--people-reached",
            "12,500",
            "--people-basis-en",
            "Evacuees registered at member sites, counted once.",
            "--prepared-by",
            "Hanako Sato",
            "--preparer-title-en",
            "Programme Officer",
            "--prepared-on",
            "2012-04-02",
            "--approved-by",
            "Taro Suzuki",
            "--approver-title-en",
            "Secretary General",
            "--approved-on",
            "2012-04-05",
        ],
    );
}

#[test]
fn a_draft_without_narrative_says_so_and_a_final_export_waits_for_it() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    let (_, draft) = report(d, &["phase", &p1], "draft.pdf");
    assert_has(&draft, &["DRAFT: no narrative has been recorded for this reporting period", "Results for the period"]);
    // The source's profile text is a background paragraph, not the narrative.
    assert!(!draft.contains("Challenges"), "{draft}");

    let file = d.join("final.pdf");
    let refused = kizuna(d, &["report", "phase", &p1, "--final", "--out", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("error[invalid_input]") && err.contains("narrative"), "{err}");
    assert!(!file.exists(), "a refused final export wrote a file");

    // Half a narrative is still refused, naming what is missing.
    ok(d, &["narrative", "set", &p1, "--challenges-en", "Fuel shortages."]);
    let half = kizuna(d, &["report", "phase", &p1, "--final", "--out", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&half.stderr);
    assert!(!half.status.success() && err.contains("lessons") && err.contains("approved_by"), "{err}");
    assert!(!file.exists());

    set_narrative(d, &p1);
    let shown = json(d, &["narrative", "show", &p1]);
    assert_eq!(shown["missing"].as_array().unwrap().len(), 0, "{shown}");
    assert_eq!(shown["people_reached"], 12_500);
    let (_, text) = report(d, &["phase", &p1, "--final"], "final.pdf");
    assert_has(
        &text,
        &[
            "Results against each activity",
            "Meeting Coordination",
            "Held 24 information-sharing meetings in Tono, Sendai and Fukushima.",
            "Matched 120 computers with member NGOs.",
            "People reached",
            "12,500 people",
            "Basis: Evacuees registered at member sites, counted once.",
            "Challenges Fuel shortages delayed field visits in April.",
            "Lessons learned Small NGOs need information in Japanese first.",
            "Next steps Hand the Tono meeting over to local groups.",
        ],
    );
    assert!(!text.contains("DRAFT"), "a final report is not marked as a draft");
    // The narrative is the period's: a quarter of the phase has none.
    let (_, quarter) =
        report(d, &["phase", &p1, "--period-start", "2011-04-01", "--period-end", "2011-06-30"], "q.pdf");
    assert!(quarter.contains("DRAFT: no narrative has been recorded"), "{quarter}");
    let list = json(d, &["narrative", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn narrative_input_is_checked_and_nothing_is_half_written() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    for (args, field) in [
        (vec!["--result-en", "9=No such activity"], "--result-en"),
        (vec!["--people-reached", "many"], "--people-reached"),
        (vec!["--prepared-on", "2012-04-05", "--approved-on", "2012-04-01"], "--approved-on"),
        (vec!["--period-start", "2012-01-01", "--period-end", "2011-01-01"], "--period-end"),
    ] {
        let mut a = vec!["narrative", "set", p1.as_str(), "--challenges-en", "x"];
        a.extend(args);
        let out = kizuna(d, &a);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(field), "{a:?}: {err}");
    }
    assert_eq!(json(d, &["narrative", "list"]).as_array().unwrap().len(), 0, "nothing written");
    // A field office reads narratives but may not write them.
    let tono = seeded_office("tono");
    let out = kizuna(tono.path(), &["narrative", "set", &p1, "--challenges-en", "x"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unauthorized"));
}

fn seeded_office(office: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--office", office]);
    dir
}

#[test]
fn figures_are_stated_once_and_a_period_without_records_says_so() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    let (_, text) = report(d, &["phase", &p1], "fresh.pdf");
    assert_eq!(text.matches("Member NGOs with").count(), 1, "{text}");
    assert!(!text.contains("Active sites"), "the computed indicator repeats the summary's row");
    // Every computed row of the summary (6), coordination (9) and fund (7)
    // tables says so; no computed figure is a bare 0. (A wrapped cell's
    // second line can land after its row's label in the extracted text.)
    assert_eq!(text.matches("no records for this").count(), 22, "{text}");
    assert!(!text.contains(" 0 Computed from the registry"), "{text}");
    // The source says "over 40" and "over 50" organisations: stated once, with a note.
    assert_eq!(text.matches("The source states both").count(), 1, "{text}");
    assert!(text.contains("The source states both over 50 organizations and over 40 organizations."), "{text}");
    let (_, profile) = report(d, &["profile"], "profile.pdf");
    assert_eq!(profile.matches("The source states both").count(), 1, "{profile}");
    // The fund's name as the source spells it; 200 sites as the source says it.
    assert!(profile.contains("Japan Recovery and Relief Fund") && !profile.contains("Japan Relief and Recovery Fund"));
    let shown = ok(d, &["grant", "show", &p1]);
    assert!(shown.contains("200 sites") && !shown.contains("exactly"), "{shown}");

    // With records, the same rows carry numbers.
    ok(d, &["demo", "--members", "4", "--sites", "30", "--seed", "5"]);
    let (_, with) = report(d, &["phase", &p1], "with.pdf");
    assert_eq!(with.matches("no records for this").count(), 22 - 6, "{with}");
}

#[test]
fn the_sign_off_names_preparer_approver_and_how_current_each_office_is() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    set_narrative(d, &p1);
    let (_, text) = report(d, &["phase", &p1], "signed.pdf");
    assert_has(
        &text,
        &[
            "6. Sign-off",
            "Prepared by Hanako Sato, Programme Officer",
            "Date prepared April 2, 2012",
            "Approved by Taro Suzuki, Secretary General",
            "Date approved April 5, 2012",
            "Records taken as of",
            "Tono office (遠野事務所)",
            "never synced with this replica",
            "this replica",
        ],
    );
}

fn page_texts(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    (1..=pages)
        .map(|n| {
            let out = Command::new("pdftotext")
                .args(["-enc", "UTF-8", "-f", &n.to_string(), "-l", &n.to_string()])
                .arg(pdf)
                .arg("-")
                .output()
                .expect("pdftotext");
            String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[test]
fn a_report_with_demo_records_says_sample_data_on_every_page() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    let (clean, _) = report(d, &["phase", &p1], "clean.pdf");
    assert!(page_texts(&clean).iter().all(|p| !p.contains("SAMPLE DATA")));
    ok(d, &["demo", "--members", "5", "--sites", "120", "--seed", "4"]);
    for lang in ["en", "ja"] {
        let (file, _) = report(d, &["phase", &p1, "--lang", lang], &format!("sample-{lang}.pdf"));
        let pages = page_texts(&file);
        assert!(pages.len() > 3, "{} pages", pages.len());
        for (n, p) in pages.iter().enumerate() {
            assert!(p.contains("SAMPLE DATA / サンプルデータ"), "page {} of the {lang} edition: {p}", n + 1);
        }
    }
}

#[test]
fn the_japanese_edition_is_japanese_and_marks_what_was_recorded_in_english() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    set_narrative(d, &p1);
    let (_, ja) = report(d, &["phase", &p1, "--lang", "ja"], "ja.pdf");
    let sq = squeezed(&ja);
    for fact in [
        // The first phase's summary, all five sentences.
        "JANICは会員に、連絡を取り合い協働するための場を提供している。",
        "草の根の団体を育てることを目指している。",
        // A result recorded in Japanese is printed as is, one recorded in English marked.
        "遠野・仙台・福島で情報共有会議を24回開催した。",
        "（英語原文）Sent48mailingstothemasterlist.",
        "（英語原文）Fuelshortagesdelayedfieldvisitsin April.",
        "報告値:ダイレクト・リリーフによるJANICのパートナー・プロフィール",
        "作成者HanakoSato,（英語原文）ProgrammeOfficer",
    ] {
        let fact: String = fact.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(sq.contains(&fact), "{fact} missing from the Japanese edition:\n{ja}");
    }
    assert!(!ja.contains("As reported"), "{ja}");
    let (_, profile) = report(d, &["profile", "--lang", "ja"], "ja-profile.pdf");
    let sq = squeezed(&profile);
    for fact in
        ["会員NGOに、定期的に顔を合わせ", "（英語原文）Thegreatqualityofwork", "（英語原文）Cashgrantsforearthquake"]
    {
        assert!(sq.contains(fact), "{fact} missing from the Japanese profile:\n{profile}");
    }
}

#[test]
fn the_map_shows_the_periods_sites_by_status_with_a_legend() {
    let dir = seeded();
    let d = dir.path();
    ok(d, &["demo", "--members", "5", "--sites", "60", "--seed", "8"]);
    let (_, text) = report(d, &["phase", &phase1()], "map.pdf");
    assert_has(
        &text,
        &[
            "Sites active in the period, on the map",
            "Legend",
            "Active in the period:",
            "Closed by the period's end:",
            "Natural Earth admin-1 (public domain)",
            "Iwate",
            "Miyagi",
            "Fukushima",
        ],
    );
}

/// The text of every part of an XLSX workbook whose name contains `part`.
fn xlsx_part(file: &Path, part: &str) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().is_ok_and(|n| n.contains(part)) {
            f.read_to_string(&mut text).unwrap();
        }
    }
    text
}

#[test]
fn the_reports_tables_export_as_xlsx() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    ok(d, &["demo", "--members", "3", "--sites", "20", "--seed", "6"]);
    let pdf = d.join("r.pdf");
    let xlsx = d.join("r.xlsx");
    ok(d, &["report", "phase", &p1, "--out", pdf.to_str().unwrap(), "--xlsx", xlsx.to_str().unwrap()]);
    let book = xlsx_part(&xlsx, "workbook.xml");
    for sheet in ["Summary figures", "Financial statement", "Expenditures", "Sites"] {
        assert!(book.contains(&format!("name=\"{sheet}\"")), "{sheet} missing: {book}");
    }
    let strings = xlsx_part(&xlsx, "sharedStrings.xml");
    for s in ["Sites active in the period", "over 50 organizations", "Sample Site", "Total", "Amount granted"] {
        assert!(strings.contains(s), "{s} missing from the workbook");
    }
    // The same records give the same workbook.
    let again = d.join("again.xlsx");
    ok(d, &["report", "phase", &p1, "--out", pdf.to_str().unwrap(), "--xlsx", again.to_str().unwrap()]);
    assert_eq!(std::fs::read(&xlsx).unwrap(), std::fs::read(&again).unwrap());
    let ja = d.join("ja.xlsx");
    ok(d, &["report", "phase", &p1, "--lang", "ja", "--out", pdf.to_str().unwrap(), "--xlsx", ja.to_str().unwrap()]);
    assert!(xlsx_part(&ja, "workbook.xml").contains("name=\"主要な数値\""));
}

/// The page on which each section of the reference data set's report
/// starts, in order, en and ja: `tests/report/golden/phase-seed-LANG.txt`
/// (`UPDATE_GOLDEN=1` rewrites them).
#[test]
fn golden_page_and_section_order_of_the_reference_report() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    for (lang, headings) in [
        (
            "en",
            &[
                "GRANT REPORT TO DIRECT RELIEF",
                "1. Summary figures for the period",
                "Sites active in the period, on the map",
                "2. Coordination",
                "Donation matching",
                "3. Results for the period",
                "Background",
                "4. Financial statement",
                "5. Pooled relief fund",
                "6. Sign-off",
                "Appendix: sites active in the period, by prefecture",
            ][..],
        ),
        (
            "ja",
            &[
                "ダイレクト・リリーフへの助成報告書",
                "1. 期間の主要な数値",
                "期間中に活動した拠点の地図",
                "2. 調整・連携",
                "寄付のマッチング",
                "3. 期間の成果",
                "背景",
                "4. 収支報告",
                "5. 共同募金",
                "6. 承認",
                "付録: 期間中に活動した拠点（都道府県別）",
            ][..],
        ),
    ] {
        let (file, _) = report(d, &["phase", &p1, "--lang", lang], &format!("golden-{lang}.pdf"));
        let pages = page_texts(&file);
        let mut lines = vec![format!("pages {}", pages.len())];
        let mut from = 0;
        for h in headings {
            let key: String = h.chars().filter(|c| !c.is_whitespace()).collect();
            let at = (from..pages.len())
                .find(|&i| squeezed(&pages[i]).contains(&key))
                .unwrap_or_else(|| panic!("{h} not found from page {} on ({lang})", from + 1));
            lines.push(format!("page {}: {h}", at + 1));
            from = at;
        }
        let got = lines.join("\n") + "\n";
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/report/golden/phase-seed-{lang}.txt"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(got, want, "page and section order of the {lang} edition (UPDATE_GOLDEN=1 rewrites)");
    }
}
