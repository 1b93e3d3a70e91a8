/**
 * "Are you sure?" with a real <dialog>: showModal() makes the rest of the page inert and traps
 * focus; the safe choice (Cancel) gets focus first; Esc cancels; focus returns to the control
 * that opened it, so keyboard users are not thrown to the top of the page.
 */
export type ConfirmOptions = { title: string; text: string; confirm: string; cancel?: string };

export function createConfirm(dialog: HTMLDialogElement): (opts: ConfirmOptions) => Promise<boolean> {
  const title = dialog.querySelector<HTMLElement>('[data-confirm-title]')!;
  const text = dialog.querySelector<HTMLElement>('[data-confirm-text]')!;
  const ok = dialog.querySelector<HTMLButtonElement>('button[value="confirm"]')!;
  const cancel = dialog.querySelector<HTMLButtonElement>('button[value="cancel"]')!;

  return (opts) =>
    new Promise((resolve) => {
      const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      title.textContent = opts.title;
      text.textContent = opts.text;
      ok.textContent = opts.confirm;
      cancel.textContent = opts.cancel ?? 'Cancel';
      dialog.returnValue = '';
      dialog.addEventListener(
        'close',
        () => {
          resolve(dialog.returnValue === 'confirm');
          opener?.focus();
        },
        { once: true },
      );
      dialog.showModal();
      cancel.focus();
    });
}
