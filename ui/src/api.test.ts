import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { ApiFailure, api, latestOnly, toFailure } from "./api";

afterEach(() => clearMocks());

describe("api wrapper", () => {
  it("calls the shell command with its arguments under the Rust parameter names", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "member_list") return { total: 1, offset: 0, limit: 50, rows: [{ id: "m1" }] };
      if (cmd === "member_edit") return { id: "m1", name_ja: "新" };
      return null;
    });
    const page = await api.memberList({ search: "ふくしま", prefecture: "04" });
    expect(page.rows).toHaveLength(1);
    await api.memberEdit("m1", { name_ja: "新" });
    await api.init("sendai");
    expect(calls).toEqual([
      ["member_list", { query: { search: "ふくしま", prefecture: "04" } }],
      ["member_edit", { id: "m1", input: { name_ja: "新" } }],
      ["init", { office: "sendai" }],
    ]);
  });

  it("turns the core's error into an ApiFailure with code, message and field", async () => {
    mockIPC(() => {
      throw { code: "invalid_input", message: "email: 'x' is not an email address", field: "email" };
    });
    const err = await api.memberAdd({ name_ja: "a", name_en: "b", email: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    const f = err as ApiFailure;
    expect([f.code, f.message, f.field]).toEqual(["invalid_input", "email: 'x' is not an email address", "email"]);
  });

  it("wraps a non-core failure (e.g. an unknown command) as code 'bridge'", async () => {
    mockIPC(() => {
      throw "command nope not found";
    });
    const err = (await api.dashboard().catch((e: unknown) => e)) as ApiFailure;
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err.code).toBe("bridge");
    expect(err.field).toBeNull();
    expect(err.message).toContain("nope");
  });

  it("normalises error shapes", () => {
    expect(toFailure(new Error("boom")).code).toBe("bridge");
    expect(toFailure({ code: "not_found", message: "no member with id x" }).field).toBeNull();
    const same = new ApiFailure({ code: "c", message: "m", field: null, problems: [] });
    expect(toFailure(same)).toBe(same);
  });
});

describe("latestOnly", () => {
  it("drops the answer to an older call that arrives after a newer one", async () => {
    const resolvers: ((v: string) => void)[] = [];
    const slow = (_q: string) => new Promise<string>((r) => resolvers.push(r));
    const list = latestOnly(slow);
    const first = list("ふ");
    const second = list("ふく");
    resolvers[1]("rows for ふく");
    resolvers[0]("rows for ふ");
    expect(await second).toBe("rows for ふく");
    expect(await first).toBeUndefined();
  });
});
