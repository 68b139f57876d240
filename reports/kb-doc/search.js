// The index's search box (rca kb doc): keeps the rows of root causes and facts whose text holds
// every word typed, in any case, and hides the other rows and the sections left without one.
// Without scripts the box stays hidden and the page is whole. It reads the page's own text only.
(() => {
  const box = document.getElementById('search-box');
  const input = document.getElementById('search');
  const none = document.getElementById('search-none');
  const sections = [...document.querySelectorAll('main > section')].map((section) => {
    const rows = [...section.querySelectorAll('tbody tr')].map((row) => ({ row, text: row.textContent.toLowerCase() }));
    return { section, rows };
  });
  box.hidden = false;
  input.addEventListener('input', () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const { section, rows } of sections) {
      let kept = 0;
      for (const { row, text } of rows) {
        row.hidden = !words.every((word) => text.includes(word));
        if (!row.hidden) kept++;
      }
      section.hidden = kept === 0;
      shown += kept;
    }
    none.hidden = shown > 0;
  });
})();
