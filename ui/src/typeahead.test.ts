import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TYPE_AHEAD_DELAY_MS, type TypeAheadState, typeAhead } from "./typeahead";

/** A search whose answers the test releases by hand, in any order. */
function manualSearch() {
  const asked: { typed: string; answer: (rows: string[]) => void; fail: (e: unknown) => void }[] = [];
  const search = (typed: string) =>
    new Promise<string[]>((answer, fail) => {
      asked.push({ typed, answer, fail });
    });
  return { asked, search };
}

function setup() {
  const { asked, search } = manualSearch();
  const states: TypeAheadState<string>[] = [];
  const picked: string[] = [];
  const errors: unknown[] = [];
  const ta = typeAhead(
    search,
    (s) => states.push(s),
    (c) => picked.push(c),
    (e) => errors.push(e),
  );
  const last = () => states[states.length - 1];
  return { ta, asked, states, picked, errors, last };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("typeAhead", () => {
  it("asks once for a burst of keystrokes, after the short wait", async () => {
    const { ta, asked, last } = setup();
    ta.input("イ");
    ta.input("イシ");
    ta.input("イシノ");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS - 1);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.map((a) => a.typed)).toEqual(["イシノ"]);
    expect(last()).toEqual({ typed: "イシノ", candidates: [], settled: false });
    asked[0].answer(["石巻復興支援の会"]);
    await flush();
    expect(last()).toEqual({ typed: "イシノ", candidates: ["石巻復興支援の会"], settled: true });
  });

  it("drops a slow answer to an older text that arrives after the newer one", async () => {
    const { ta, asked, last } = setup();
    ta.input("ふく");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    ta.input("ふくしま");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    expect(asked.map((a) => a.typed)).toEqual(["ふく", "ふくしま"]);
    asked[1].answer(["ふくしまキッズ"]);
    await flush();
    asked[0].answer(["ふくしまキッズ", "福岡の会"]);
    await flush();
    expect(last()).toEqual({ typed: "ふくしま", candidates: ["ふくしまキッズ"], settled: true });
  });

  it("ignores the answer to a text that was cleared meanwhile", async () => {
    const { ta, asked, last, picked } = setup();
    ta.input("とおの");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    ta.enter(0);
    ta.clear();
    asked[0].answer(["遠野まごころネット"]);
    await flush();
    expect(last()).toEqual({ typed: "", candidates: [], settled: true });
    expect(picked).toEqual([]);
  });

  it("picks the active candidate on Enter once the candidates answer the current text", async () => {
    const { ta, asked, picked } = setup();
    ta.input("ﾏｺﾞｺﾛ");
    // Enter before the answer: remembered, then acted on when it comes.
    ta.enter(1);
    expect(picked).toEqual([]);
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    asked[0].answer(["まごころ一", "まごころ二"]);
    await flush();
    expect(picked).toEqual(["まごころ二"]);
    ta.enter(0);
    expect(picked).toEqual(["まごころ二", "まごころ一"]);
  });

  it("does nothing on Enter when nothing matches, or nothing is typed", async () => {
    const { ta, asked, picked } = setup();
    ta.enter(0);
    ta.input("釜石市社会福祉協議会");
    ta.enter(0);
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    asked[0].answer([]);
    await flush();
    ta.enter(0);
    expect(picked).toEqual([]);
  });

  it("a keystroke after Enter cancels the pending pick", async () => {
    const { ta, asked, picked } = setup();
    ta.input("いし");
    ta.enter(0);
    ta.input("いしの");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    asked[0].answer(["石巻復興支援の会"]);
    await flush();
    expect(picked).toEqual([]);
  });

  it("reports a failure of the current search only", async () => {
    const { ta, asked, errors } = setup();
    ta.input("a");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    ta.input("ab");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    asked[0].fail("old");
    asked[1].fail("new");
    await flush();
    expect(errors).toEqual(["new"]);
  });

  it("settles at once on a blank text without asking", async () => {
    const { ta, asked, last } = setup();
    ta.input("   ");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    expect(asked).toHaveLength(0);
    expect(last()).toEqual({ typed: "   ", candidates: [], settled: true });
  });

  it("once disposed, neither asks nor reports an answer already on its way", async () => {
    const { ta, asked, states, picked } = setup();
    ta.input("ふくしま");
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    ta.enter(0);
    ta.input("ふくしまキ");
    ta.dispose();
    const seen = states.length;
    await vi.advanceTimersByTimeAsync(TYPE_AHEAD_DELAY_MS);
    asked[0].answer(["ふくしまキッズ"]);
    await flush();
    expect(asked).toHaveLength(1);
    expect(states).toHaveLength(seen);
    expect(picked).toEqual([]);
  });
});
