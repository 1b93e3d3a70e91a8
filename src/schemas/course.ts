import { z } from 'astro/zod';

/** One module of the course: a group of lessons shown together on the home page. */
export const ModuleSchema = z.strictObject({
  /** The number lessons use in their `module` field. */
  number: z.number().int().min(1).describe('a whole number ≥ 1, unique in the course'),
  /** Heading on the course home and in the sidebar. */
  title: z.string().min(3).describe('a short heading, e.g. "Naming"'),
});

/** `content/course.json`: the course's name, tagline and module list. */
export const CourseSchema = z.strictObject({
  /** Course name shown in the header. */
  title: z.string().min(2).describe('the course name'),
  /** One sentence under the name on the home page. */
  tagline: z.string().min(10).describe('one sentence describing the course'),
  /** Modules in the order they are taught. */
  modules: z.array(ModuleSchema).min(1).describe('a list of { "number", "title" } objects'),
});

export type Course = z.infer<typeof CourseSchema>;
export type CourseModule = z.infer<typeof ModuleSchema>;
