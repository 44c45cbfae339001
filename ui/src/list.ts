import { useLayoutEffect, useState } from "preact/hooks";
import { toFailure } from "./api";
import type { Page } from "./bindings/Page";
import { markAnswer, markRequest, markRowsPainted } from "./timing";

/** One page of a searchable list, re-read whenever `deps` change; only the
 * latest request's answer is shown (`fetch` comes from `latestOnly`).
 * Layout effects, not effects: Preact runs an effect only after the next
 * frame, which put two idle frames between a keystroke and its rows. A page
 * that carries more than rows (a GiftPage's totals) keeps its own type. */
export function usePagedList<P extends Page<unknown>>(
  name: string,
  fetch: () => Promise<P | undefined>,
  deps: unknown[],
) {
  const [page, setPage] = useState<P | null>(null);
  const [error, setError] = useState<string | null>(null);

  useLayoutEffect(() => {
    markRequest();
    fetch()
      .then((p) => {
        markAnswer();
        if (p) {
          setPage(p);
          setError(null);
        }
      })
      .catch((e) => setError(toFailure(e).message));
  }, deps);

  useLayoutEffect(() => {
    if (page) markRowsPainted(name);
  }, [page]);

  return { page, error, setError };
}
