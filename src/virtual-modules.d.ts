// Modules that exist only at build time (Vite plugins in src/integrations/).

declare module 'virtual:hop/stored-shapes' {
  /** src/integrations/stored-shapes.ts: ProgressSchema's input as a JSON shape. */
  export const progress: import('./lib/json-shape.ts').Shape;
  /** src/integrations/stored-shapes.ts: SavedLabSchema's input as a JSON shape. */
  export const savedLab: import('./lib/json-shape.ts').Shape;
}
