import type { AstroIntegration } from 'astro';
import { z } from 'astro/zod';
import { stripDocs, unsupportedKeywords, type Shape } from '../lib/json-shape.ts';
import { ProgressSchema } from '../schemas/progress.ts';
import { SavedLabSchema } from '../workbench/storage.ts';

/**
 * `import { progress, savedLab } from 'virtual:hop/stored-shapes'`: the zod schemas of what the
 * site keeps in localStorage, turned into plain JSON shapes at build time. Browser code checks
 * stored data with them (src/lib/json-shape.ts) instead of importing zod, which would put ~26 KB
 * of gzip'd JavaScript on every lesson page. The schemas stay the one definition.
 *
 * `astro dev` reads the schemas when it starts: restart it after changing one.
 */
export const STORED_SHAPES_ID = 'virtual:hop/stored-shapes';

/** A zod schema's input as a shape, or a build error naming what the checker cannot enforce. */
export function shapeOf(schema: z.ZodType, name: string): Shape {
  const shape = stripDocs(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as Shape);
  const unsupported = unsupportedKeywords(shape);
  if (unsupported.length > 0) {
    throw new Error(
      `${name}: src/lib/json-shape.ts cannot check ${unsupported.join(', ')}. Teach it those keywords (with tests) or keep the schema to the ones it knows.`,
    );
  }
  return shape;
}

export function storedShapes(): Record<'progress' | 'savedLab', Shape> {
  return { progress: shapeOf(ProgressSchema, 'ProgressSchema'), savedLab: shapeOf(SavedLabSchema, 'SavedLabSchema') };
}

/** The Vite plugin (also used by vitest.config.ts, so unit tests import the same module). */
export function storedShapesPlugin() {
  const resolved = `\0${STORED_SHAPES_ID}`;
  return {
    name: 'hop:stored-shapes',
    resolveId: (id: string) => (id === STORED_SHAPES_ID ? resolved : undefined),
    load: (id: string) =>
      id === resolved
        ? Object.entries(storedShapes())
            .map(([name, shape]) => `export const ${name} = ${JSON.stringify(shape)};`)
            .join('\n')
        : undefined,
  };
}

export function storedShapesIntegration(): AstroIntegration {
  return {
    name: 'hop:stored-shapes',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({ vite: { plugins: [storedShapesPlugin()] } });
      },
    },
  };
}
