//! The period narrative typed in the window, and the final report it allows.

use super::{first_start, nav, pdf_text, serial};
use crate::driver::App;

const CHALLENGE_EN: &str = "Fuel shortages delayed deliveries to Otsuchi in April 2011.";
const CHALLENGE_JA: &str = "燃料不足で大槌町への配送が遅れた。";

#[tokio::test]
async fn a_narrative_typed_on_the_reports_screen_makes_the_final_phase_report_which_carries_it() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::launch(dir.path()).await;
    first_start(&app, "en", "tokyo").await;
    nav(&app, "reports").await;
    app.click("input[name=kind][value=phase]").await;
    app.find("[data-testid=reports] select[name=phase] option").await;
    app.wait_text_that("[data-testid=narrative-status]", "say none is recorded", |t| t.starts_with("No narrative"))
        .await;

    // A final report is refused while there is no narrative, and nothing is written.
    let pdf = dir.path().join("final.pdf");
    app.click("input[name=final]").await;
    app.fill("[data-testid=reports] input[name=path]", &pdf.display().to_string()).await;
    app.click("[data-testid=report-export]").await;
    app.wait_text_that("[data-testid=reports] .field-error", "refuse the final report", |t| t.contains("narrative"))
        .await;
    assert!(!pdf.exists(), "a refused final report wrote {}", pdf.display());

    // Every activity's result, the challenges, lessons, next steps, people reached and the sign-off.
    let results = app.all("[data-testid=narrative] textarea[name^=result_]").await;
    assert!(results.len() >= 2, "the phase's activities each have a result field");
    for (i, area) in results.iter().enumerate() {
        let name = area.attr("name").await.expect("name").expect("a named field");
        let text = if name.starts_with("result_ja") {
            format!("成果{i}：物資を配布した。")
        } else {
            format!("Result {i}: supplies delivered.")
        };
        app.fill(&format!("[data-testid=narrative] textarea[name='{name}']"), &text).await;
    }
    let fill = |name: &'static str, value: &'static str| {
        let app = &app;
        async move {
            let css = format!("[data-testid=narrative] [name={name}]");
            app.fill(&css, value).await;
        }
    };
    fill("challenges_en", CHALLENGE_EN).await;
    fill("challenges_ja", CHALLENGE_JA).await;
    fill("lessons_en", "Local partners knew which shelters were missed.").await;
    fill("lessons_ja", "地元の団体は取り残された避難所を知っていた。").await;
    fill("next_steps_en", "Hand the sites over to municipal councils.").await;
    fill("next_steps_ja", "拠点を市町村の協議会に引き継ぐ。").await;
    fill("people_reached", "12000").await;
    fill("people_basis_en", "Sign-in sheets of the distribution sites.").await;
    fill("people_basis_ja", "配布拠点の受付名簿による。").await;
    fill("prepared_by", "山田 花子").await;
    fill("preparer_title_en", "Programme Officer").await;
    fill("preparer_title_ja", "プログラム担当").await;
    app.set_value("[data-testid=narrative] [name=prepared_on]", "2014-04-10").await;
    fill("approved_by", "佐藤 一郎").await;
    fill("approver_title_en", "Secretary General").await;
    fill("approver_title_ja", "事務局長").await;
    app.set_value("[data-testid=narrative] [name=approved_on]", "2014-04-15").await;
    app.click("[data-testid=narrative-save]").await;
    app.wait_text("[data-testid=narrative-saved]", "Narrative saved.").await;
    app.wait_text_that("[data-testid=narrative-status]", "say it is complete", |t| t.starts_with("Complete")).await;
    app.screenshot("narrative-complete-en").await;

    // Now the final report is written, and carries what was typed.
    app.click("[data-testid=report-export]").await;
    app.wait_text_that("[data-testid=report-saved]", "name the file", |t| t.contains("final.pdf")).await;
    let text = pdf_text(&pdf);
    assert!(text.contains("Fuel shortages delayed"), "the challenge typed is not in the report:\n{text}");
    assert!(text.contains("山田 花子") || text.contains("山田花子"), "the sign-off is not in the report:\n{text}");
    assert!(!text.contains("DRAFT"), "a final report is no draft:\n{text}");

    // Reopened, the screen shows the stored narrative.
    nav(&app, "dashboard").await;
    nav(&app, "reports").await;
    app.click("input[name=kind][value=phase]").await;
    app.wait_script(
        "return document.querySelector('[data-testid=narrative] [name=challenges_ja]').value",
        serde_json::json!(CHALLENGE_JA),
    )
    .await;
    app.quit().await;
}
