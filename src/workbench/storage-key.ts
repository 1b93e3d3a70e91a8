/**
 * Where the lab page keeps a lab's saved work. Apart from ./storage.ts (which needs zod) because
 * the progress code on every page reads those saves too, and should not bring zod along.
 */
export function storageKey(lab: string): string {
  return `hop:lab:${lab}`;
}
