/**
 * Light and dark themes.
 *
 * The contract for everything that draws colours itself (the lab editor, canvases, iframes):
 *
 *   - `<html data-theme="light|dark">` is the theme in effect. It is set before first paint by the
 *     inline script in src/layouts/BaseLayout.astro (from localStorage `hop:theme`, else the system
 *     setting), so read it once at start-up:
 *         const dark = document.documentElement.dataset.theme === 'dark';
 *   - `hop:theme` is dispatched on `document` whenever it changes (the header toggle, or the system
 *     setting changing while the learner follows it), with `{ theme, preference }` as its detail:
 *         document.addEventListener('hop:theme', (e) => setEditorTheme(e.detail.theme === 'dark'));
 *     Listen to this instead of matchMedia('(prefers-color-scheme: dark)'), which ignores the toggle.
 *   - CSS needs nothing: the custom properties in src/styles/tokens.css (and Shiki's code blocks in
 *     global.css) follow data-theme, and the system setting when JavaScript is off.
 */

export const THEME_KEY = 'hop:theme';
export const THEME_EVENT = 'hop:theme';

export type Theme = 'light' | 'dark';
/** What the learner chose; "system" follows the operating system's setting. */
export type ThemePreference = 'system' | Theme;
export type ThemeDetail = { theme: Theme; preference: ThemePreference };

/** The order the toggle steps through. */
export const PREFERENCES: ThemePreference[] = ['system', 'light', 'dark'];

export function nextPreference(current: ThemePreference): ThemePreference {
  return PREFERENCES[(PREFERENCES.indexOf(current) + 1) % PREFERENCES.length]!;
}

export function effectiveTheme(preference: ThemePreference, systemDark: boolean): Theme {
  return preference === 'system' ? (systemDark ? 'dark' : 'light') : preference;
}

export function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(THEME_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

const systemDark = () => matchMedia('(prefers-color-scheme: dark)');

/** Sets data-theme on <html> and announces a change with `hop:theme`. */
export function applyTheme(preference: ThemePreference): ThemeDetail {
  const root = document.documentElement;
  const theme = effectiveTheme(preference, systemDark().matches);
  const changed = root.dataset.theme !== theme;
  root.dataset.theme = theme;
  root.dataset.themePreference = preference;
  const detail: ThemeDetail = { theme, preference };
  if (changed) document.dispatchEvent(new CustomEvent<ThemeDetail>(THEME_EVENT, { detail }));
  return detail;
}

export function savePreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, preference);
  } catch {
    /* storage off: the choice lasts for this page only */
  }
}

const LABELS: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Wires the header toggle: shows the current choice and steps System → Light → Dark. */
export function startThemeToggle(button: HTMLButtonElement): void {
  const label = button.querySelector<HTMLElement>('[data-theme-label]');
  const show = (preference: ThemePreference, theme: Theme) => {
    button.dataset.preference = preference;
    if (label) label.textContent = LABELS[preference];
    const next = nextPreference(preference);
    button.title = `${preference === 'system' ? `Following your system (${theme})` : `${LABELS[preference]} theme`}. Switch to ${next === 'system' ? 'your system setting' : `${LABELS[next].toLowerCase()}`}.`;
  };
  let preference = readPreference();
  show(preference, applyTheme(preference).theme);
  button.hidden = false;

  button.addEventListener('click', () => {
    preference = nextPreference(preference);
    savePreference(preference);
    show(preference, applyTheme(preference).theme);
  });
  // Following the system: a change there (e.g. sunset) applies at once.
  systemDark().addEventListener('change', () => {
    if (preference === 'system') show(preference, applyTheme(preference).theme);
  });
  // Another tab changed the choice.
  window.addEventListener('storage', (event) => {
    if (event.key !== THEME_KEY && event.key !== null) return;
    preference = readPreference();
    show(preference, applyTheme(preference).theme);
  });
}
