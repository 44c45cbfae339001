import { describe, expect, it } from "vitest";
import { ApiFailure } from "./api";
import { makeI18n } from "./i18n";
import { joinErrorText } from "./join";

const fail = (code: string, field: string | null = null) =>
  new ApiFailure({ code, message: `core says ${code}`, field, problems: [] });

describe("join errors", () => {
  it("say a wrong passphrase in the person's language, by the core's code", () => {
    const en = joinErrorText(fail("unauthorized"), makeI18n("en").t);
    const ja = joinErrorText(fail("unauthorized"), makeI18n("ja").t);
    expect(en.field).toBeNull();
    expect(en.text).toContain("passphrase");
    expect(en.text).not.toContain("core says");
    expect(ja.text).toContain("合言葉");
  });

  it("put a malformed passphrase under its field and a bad file under the path", () => {
    const { t } = makeI18n("en");
    expect(joinErrorText(fail("invalid_input", "passphrase"), t).field).toBe("passphrase");
    expect(joinErrorText(fail("rejected"), t).field).toBe("path");
    const io = joinErrorText(fail("io"), t);
    expect([io.field, io.text.includes("core says io")]).toEqual(["path", true]);
  });

  it("fall back to the core's message for any other code", () => {
    expect(joinErrorText(fail("storage"), makeI18n("en").t).text).toContain("core says storage");
  });
});
