/**
 * The glossary's filter box: typing narrows the list to terms whose name, expansion or other names
 * contain the text. The page is complete without it (the box stays hidden when scripts do not run),
 * so this only hides entries and letter groups, and says how many terms are left.
 */
export function startGlossaryFilter(root: ParentNode = document): void {
  const box = root.querySelector<HTMLElement>('[data-glossary-filter]');
  const input = box?.querySelector<HTMLInputElement>('input');
  const status = box?.querySelector<HTMLElement>('[data-filter-status]');
  if (!box || !input || !status) return;
  const entries = [...root.querySelectorAll<HTMLElement>('[data-entry]')];
  const groups = [...root.querySelectorAll<HTMLElement>('[data-letter-group]')];
  const letters = root.querySelector<HTMLElement>('[data-glossary-letters]');

  const apply = () => {
    const query = input.value.trim().toLowerCase();
    let shown = 0;
    for (const entry of entries) {
      const match = !query || (entry.dataset.names ?? '').includes(query);
      entry.hidden = !match;
      if (match) shown++;
    }
    for (const group of groups) group.hidden = !group.querySelector('[data-entry]:not([hidden])');
    // The letter links would lead to hidden groups while a filter is on.
    if (letters) letters.hidden = !!query;
    const text = !query
      ? ''
      : shown === 0
        ? `No term matches “${input.value.trim()}”. Search (press /) looks through the lessons too.`
        : `${shown} of ${entries.length} terms match “${input.value.trim()}”.`;
    // A live region: rewrite it only when the words change.
    if (status.textContent !== text) status.textContent = text;
  };

  input.addEventListener('input', apply);
  box.hidden = false;
  // A value the browser restored on back/forward navigation applies at once.
  if (input.value) apply();
}
