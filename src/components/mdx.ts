/**
 * Every component a lesson may use, by the name authors write in MDX: each PascalCase .astro file
 * in src/components/lesson/ is registered under its file name, so adding a component is adding a
 * file (several authors can add components at once without editing a shared list). The lesson page
 * passes this to `<Content components={mdxComponents} />`, so lessons never import components.
 */
const modules = import.meta.glob<{ default: unknown }>('./lesson/[A-Z]*.astro', { eager: true });

export const mdxComponents: Record<string, unknown> = Object.fromEntries(
  Object.entries(modules).map(([path, mod]) => [path.slice('./lesson/'.length, -'.astro'.length), mod.default]),
);
