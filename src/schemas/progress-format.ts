/**
 * The version and label of stored progress, apart from the zod schemas in ./progress.ts so browser
 * code can read them without bundling zod (the schemas re-export them; change them there).
 */
export const PROGRESS_VERSION = 1;

/** The `format` of an exported file, so a stray JSON file is told apart from a progress file. */
export const PROGRESS_FILE_FORMAT = 'hop-by-hop-progress';
