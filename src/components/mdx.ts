import Callout from './lesson/Callout.astro';
import JourneyTimeline from './lesson/JourneyTimeline.astro';
import KnowledgeCheck from './lesson/KnowledgeCheck.astro';
import SequenceDiagram from './lesson/SequenceDiagram.astro';

/**
 * Every component a lesson may use, by the name authors write in MDX. The lesson page passes this
 * to `<Content components={mdxComponents} />`, so lessons never import components themselves:
 * a lesson stays plain prose plus tags, and renaming a file here cannot break twelve lessons.
 */
export const mdxComponents = {
  Callout,
  JourneyTimeline,
  KnowledgeCheck,
  SequenceDiagram,
};

export type MdxComponentName = keyof typeof mdxComponents;
