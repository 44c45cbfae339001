// Keystroke-to-rows timing for the lists: started on input, stopped at the
// first animation frame after the new rows are in the DOM (the frame that
// paints them). The last figure is kept on <body> for the end-to-end run to
// read (data-rows-ms), with where the time went (data-rows-phases: input to
// request sent, request to answer, answer to frame), and logged.
let started: number | null = null;
let sent: number | null = null;
let answered: number | null = null;

export function markInput() {
  started = performance.now();
  sent = null;
  answered = null;
}

/** The list's request left for the core (first one after the input only). */
export function markRequest() {
  if (started !== null && sent === null) sent = performance.now();
}

/** The core's answer arrived. */
export function markAnswer() {
  if (started !== null && sent !== null && answered === null) answered = performance.now();
}

export function markRowsPainted(list: string) {
  if (started === null) return;
  const [t0, t1, t2] = [started, sent, answered];
  started = null;
  requestAnimationFrame(() => {
    const now = performance.now();
    const ms = now - t0;
    document.body.dataset.rowsMs = ms.toFixed(1);
    document.body.dataset.rowsList = list;
    if (t1 !== null && t2 !== null) {
      document.body.dataset.rowsPhases = [t1 - t0, t2 - t1, now - t2].map((x) => x.toFixed(1)).join("/");
    }
    console.info(`${list}: keystroke to rows ${ms.toFixed(1)} ms`);
  });
}
