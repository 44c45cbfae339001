import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { api } from "./api";
import type { ReportProgress } from "./bindings/ReportProgress";
import { type ReportForm, formatSize, reportRequest, suggestedFileName, withPdfExtension } from "./report";

afterEach(() => clearMocks());

const phase: ReportForm = { kind: "phase", phaseId: "ph2", periodStart: "", periodEnd: "", lang: "en" };

describe("report request", () => {
  it("asks for the whole phase when no dates are given, and for the chosen edition", () => {
    expect(reportRequest({ ...phase, lang: "ja" })).toEqual({
      request: { kind: "phase", phase_id: "ph2", options: { lang: "ja" } },
    });
  });

  it("sends only the period ends that were filled in", () => {
    expect(reportRequest({ ...phase, periodStart: "2014-04-01" })).toEqual({
      request: { kind: "phase", phase_id: "ph2", options: { lang: "en", period_start: "2014-04-01" } },
    });
    expect(reportRequest({ ...phase, periodStart: " 2014-04-01 ", periodEnd: "2015-03-31" })).toEqual({
      request: {
        kind: "phase",
        phase_id: "ph2",
        options: { lang: "en", period_start: "2014-04-01", period_end: "2015-03-31" },
      },
    });
  });

  it("refuses a period that ends before it starts, and a phase report without a phase", () => {
    expect(reportRequest({ ...phase, periodStart: "2015-04-01", periodEnd: "2015-03-31" })).toEqual({
      problem: { field: "period_end", key: "reports.period_order" },
    });
    expect(reportRequest({ ...phase, phaseId: "" })).toEqual({
      problem: { field: "phase", key: "reports.need_phase" },
    });
  });

  it("gives the profile no phase and no period even if the form still holds them", () => {
    expect(reportRequest({ ...phase, kind: "profile", periodStart: "2014-04-01" })).toEqual({
      request: { kind: "profile", options: { lang: "en" } },
    });
  });
});

describe("file names and sizes", () => {
  it("suggests a name from the donor, the phase, the period and the edition", () => {
    expect(suggestedFileName(phase, { donor: "Direct Relief", seq: 2 })).toBe("direct-relief-phase-2-en.pdf");
    expect(
      suggestedFileName(
        { ...phase, periodStart: "2014-04-01", periodEnd: "2015-03-31", lang: "ja" },
        { donor: "Direct Relief", seq: 2 },
      ),
    ).toBe("direct-relief-phase-2-2014-04-01_2015-03-31-ja.pdf");
    expect(suggestedFileName({ ...phase, kind: "profile", lang: "ja" })).toBe("kizuna-partner-profile-ja.pdf");
    expect(suggestedFileName(phase, { donor: "日本の財団", seq: 1 })).toBe("grant-phase-1-en.pdf");
  });

  it("adds .pdf to a typed path that lacks it and keeps one that has it in any case", () => {
    expect(withPdfExtension(" /home/a/report ")).toBe("/home/a/report.pdf");
    expect(withPdfExtension("/home/a/Report.PDF")).toBe("/home/a/Report.PDF");
    expect(withPdfExtension("   ")).toBe("");
  });

  it("shows sizes in bytes, KB and MB", () => {
    expect(formatSize(900)).toBe("900 B");
    expect(formatSize(41705)).toBe("40.7 KB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

describe("report commands", () => {
  it("passes request, path and a progress channel under the shell's names and relays progress in order", async () => {
    const seen: ReportProgress[] = [];
    let args: Record<string, unknown> = {};
    mockIPC((cmd, a) => {
      args = a as Record<string, unknown>;
      if (cmd !== "report_save") return null;
      const channel = args.onProgress as { id: number };
      const run = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
        .__TAURI_INTERNALS__.runCallback;
      // Delivered out of order on purpose: the channel restores the order.
      run(channel.id, { index: 1, message: { stage: "layout", fraction: 0.5 } });
      run(channel.id, { index: 0, message: { stage: "reading", fraction: 0 } });
      return { path: "/tmp/r.pdf", bytes: 41705 };
    });
    const saved = await api.reportSave({ kind: "profile", options: { lang: "en" } }, "/tmp/r.pdf", (p) => seen.push(p));
    expect(saved).toEqual({ path: "/tmp/r.pdf", bytes: 41705 });
    expect(args.request).toEqual({ kind: "profile", options: { lang: "en" } });
    expect(args.path).toBe("/tmp/r.pdf");
    expect(seen.map((p) => p.stage)).toEqual(["reading", "layout"]);
  });

  it("asks the dialog with the suggested file name and passes a cancel on as null", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, a) => {
      calls.push([cmd, a]);
      return null;
    });
    expect(await api.pickSavePath("kizuna-partner-profile-en.pdf", ["pdf"])).toBeNull();
    expect(calls).toEqual([["pick_save_path", { fileName: "kizuna-partner-profile-en.pdf", extensions: ["pdf"] }]]);
  });
});
