/**
 * The id prefix a widget gives its elements: its kind plus its title in lowercase with runs of
 * anything but letters and digits turned into one hyphen ("Two round trips" → "seq-two-round-trips").
 * Titles are how an author tells two widgets on one page apart, so ids stay stable across builds.
 */
export function elementId(kind: string, title: string): string {
  return `${kind}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}
