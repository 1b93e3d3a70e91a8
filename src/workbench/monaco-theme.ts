/**
 * Editor colours that match the lessons' code blocks: Shiki's github-light and github-dark
 * (astro.config.mjs), translated to Monaco's Monarch token names. Values copied from those themes.
 */
import type { editor } from 'monaco-editor/editor/editor.api';

type Palette = { bg: string; fg: string; comment: string; keyword: string; string: string; constant: string; entity: string; colors: Record<string, string> };

const light: Palette = {
  bg: '#ffffff',
  fg: '#24292e',
  comment: '#6a737d',
  keyword: '#d73a49',
  string: '#032f62',
  constant: '#005cc5',
  entity: '#6f42c1',
  colors: {
    'editor.lineHighlightBackground': '#f6f8fa',
    'editor.selectionBackground': '#0366d625',
    'editor.inactiveSelectionBackground': '#0366d611',
    'editor.findMatchBackground': '#ffdf5d',
    'editor.findMatchHighlightBackground': '#ffdf5d66',
    'editorCursor.foreground': '#044289',
    // github-light's #1b1f234d is 1.9:1 on white; its comment grey reads at 4.7:1.
    'editorLineNumber.foreground': '#6a737d',
    'editorLineNumber.activeForeground': '#24292e',
    'editorIndentGuide.background1': '#eff2f6',
    'editorIndentGuide.activeBackground1': '#d7dbe0',
    'editorWhitespace.foreground': '#d1d5da',
    'editorWidget.background': '#f6f8fa',
    'editorError.foreground': '#cb2431',
    'editorWarning.foreground': '#b08800',
  },
};

const dark: Palette = {
  bg: '#24292e',
  fg: '#e1e4e8',
  // github-dark's #6a737d is 3.0:1 on this background; the lessons' code blocks lift it the same way (global.css).
  comment: '#959da5',
  keyword: '#f97583',
  string: '#9ecbff',
  constant: '#79b8ff',
  entity: '#b392f0',
  colors: {
    'editor.lineHighlightBackground': '#2b3036',
    'editor.selectionBackground': '#3392ff44',
    'editor.inactiveSelectionBackground': '#3392ff22',
    'editor.findMatchBackground': '#ffd33d44',
    'editor.findMatchHighlightBackground': '#ffd33d22',
    'editorCursor.foreground': '#c8e1ff',
    'editorLineNumber.foreground': '#959da5',
    'editorLineNumber.activeForeground': '#e1e4e8',
    'editorIndentGuide.background1': '#2f363d',
    'editorIndentGuide.activeBackground1': '#444d56',
    'editorWhitespace.foreground': '#444d56',
    'editorWidget.background': '#1f2428',
    'editorError.foreground': '#f97583',
    'editorWarning.foreground': '#ffea7f',
  },
};

function theme(base: 'vs' | 'vs-dark', p: Palette): editor.IStandaloneThemeData {
  const c = (hex: string) => hex.replace('#', '');
  return {
    base,
    inherit: true,
    rules: [
      { token: '', foreground: c(p.fg), background: c(p.bg) },
      { token: 'comment', foreground: c(p.comment) },
      { token: 'keyword', foreground: c(p.keyword) },
      { token: 'string', foreground: c(p.string) },
      { token: 'string.escape', foreground: c(p.constant) },
      { token: 'regexp', foreground: c(p.string) },
      { token: 'number', foreground: c(p.constant) },
      { token: 'type.identifier', foreground: c(p.entity) },
      { token: 'identifier', foreground: c(p.fg) },
      { token: 'delimiter', foreground: c(p.fg) },
      { token: 'operator', foreground: c(p.keyword) },
    ],
    colors: { 'editor.background': p.bg, 'editor.foreground': p.fg, ...p.colors },
  };
}

export const THEMES = { light: theme('vs', light), dark: theme('vs-dark', dark) } as const;
export const themeName = (dark: boolean) => (dark ? 'hop-github-dark' : 'hop-github-light');
