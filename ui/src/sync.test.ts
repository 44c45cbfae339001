import { describe, expect, it } from "vitest";
import type { AutoSync } from "./api";
import { autoSyncLine, cellText, formatDateTime, peerLabel, progressPercent, progressText } from "./sync";

const base: AutoSync = {
  hub: "http://127.0.0.1:7070",
  running: false,
  last_ok_at: null,
  last_report: null,
  last_error: null,
  next_in_secs: null,
};

describe("sync progress", () => {
  it("has a percentage only when the stage's size is known", () => {
    expect(progressPercent({ stage: "push", changes: 250, total: 1000 })).toBe(25);
    expect(progressPercent({ stage: "pull", changes: 250 })).toBeNull();
    expect(progressPercent({ stage: "pull", changes: 5, total: 0 })).toBeNull();
    expect(progressPercent({ stage: "push", changes: 1200, total: 1000 })).toBe(100);
  });

  it("names the stage and the counts in each language", () => {
    expect(progressText({ stage: "push", changes: 1200, total: 5000 }, "en")).toBe("Sending: 1,200 of 5,000 changes");
    expect(progressText({ stage: "pull", changes: 30 }, "ja")).toBe("受信中: 30件");
  });
});

describe("sync wording", () => {
  it("names peers: offices by name, the hub by its address", () => {
    expect(peerLabel("office:tono", "en")).toBe("Tono office (Iwate)");
    expect(peerLabel("office:tono", "ja")).toBe("遠野事務所（岩手県）");
    expect(peerLabel("hub:http://10.0.0.1:7070", "en")).toBe("Hub http://10.0.0.1:7070");
    expect(peerLabel("office:osaka", "en")).toBe("osaka");
  });

  it("shows logged cell values as text", () => {
    expect(cellText(null)).toBe("—");
    expect(cellText("宮城県")).toBe("宮城県");
    expect(cellText(42)).toBe("42");
  });

  it("formats the local date and time in the UI language", () => {
    const ms = new Date(2011, 2, 11, 14, 46).getTime();
    expect(formatDateTime(ms, "ja")).toBe("2011年3月11日 14:46");
    expect(formatDateTime(ms, "en")).toBe("March 11, 2011 14:46");
  });

  it("describes the background sync: off, running, failing with a retry, done", () => {
    expect(autoSyncLine({ ...base, hub: null }, "en")).toBe(
      "No hub configured: changes stay on this computer until one is set.",
    );
    expect(autoSyncLine({ ...base, running: true }, "en")).toBe("Syncing…");
    const failed = {
      ...base,
      last_error: { code: "network", message: "connection refused", field: null, problems: [] },
      next_in_secs: 20,
    };
    expect(autoSyncLine(failed, "en")).toBe("Hub not reachable: connection refused Next try in 20 s.");
    const ms = new Date(2026, 10, 26, 9, 5).getTime();
    expect(autoSyncLine({ ...base, last_ok_at: ms }, "ja")).toBe("最終同期 2026年11月26日 09:05");
  });
});
