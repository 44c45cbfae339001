// Keystroke-to-rows timing for the lists: started on input, stopped after the
// browser has painted the new rows. The last figure is kept on <body> for the
// end-to-end run to read (data-rows-ms), and logged to the console.
let started: number | null = null;

export function markInput() {
  started = performance.now();
}

export function markRowsPainted(list: string) {
  if (started === null) return;
  const t0 = started;
  started = null;
  requestAnimationFrame(() => {
    const ms = performance.now() - t0;
    document.body.dataset.rowsMs = ms.toFixed(1);
    document.body.dataset.rowsList = list;
    console.info(`${list}: keystroke to rows ${ms.toFixed(1)} ms`);
  });
}
