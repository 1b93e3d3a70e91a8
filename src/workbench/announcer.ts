/**
 * Screen reader announcements through one polite aria-live region. Clearing first and writing on
 * the next frame makes the same sentence twice in a row ("Stage 1 failed") still be read.
 */
export type Announcer = (text: string) => void;

export function createAnnouncer(region: HTMLElement): Announcer {
  return (text) => {
    region.textContent = '';
    requestAnimationFrame(() => {
      region.textContent = text;
    });
  };
}
