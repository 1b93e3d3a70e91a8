import { z } from 'astro/zod';

/** Props of <SequenceDiagram>: who talks (actors, left to right) and what they say, in order. */
const ActorSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens')
    .describe('a short kebab-case id that messages refer to, e.g. "resolver"'),
  label: z.string().min(1).max(24).describe('the name shown on the diagram, at most 24 characters'),
  sub: z.string().max(28).optional().describe('a smaller second line, e.g. "8.8.8.8", at most 28 characters'),
});

const MessageSchema = z.strictObject({
  from: z.string().describe('the id of the actor that sends the message'),
  to: z.string().describe('the id of the actor that receives it (the same id draws a self-arrow)'),
  label: z.string().min(1).max(48).describe('what is sent, at most 48 characters, e.g. "A? www.example.com"'),
  note: z.string().max(80).optional().describe('a smaller line under the arrow, at most 80 characters'),
  kind: z
    .enum(['request', 'response', 'referral'])
    .default('request')
    .describe('one of "request" (solid), "response" (dashed) or "referral" (dotted)'),
});

export const SequenceDiagramSchema = z
  .strictObject({
    title: z.string().min(3).describe('a caption naming what the diagram shows'),
    description: z
      .string()
      .min(10)
      .optional()
      .describe('one or two sentences for screen readers summarising the exchange'),
    actors: z.array(ActorSchema).min(2).max(6).describe('a list of 2–6 actors like { id, label, sub? }'),
    messages: z
      .array(MessageSchema)
      .min(1)
      .max(24)
      .describe('a list of 1–24 messages like { from, to, label, note?, kind? }'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "dns"'),
  })
  .superRefine((props, ctx) => {
    // Checked here rather than with an enum so the message can list the ids the author did define.
    const ids = props.actors.map((a) => a.id);
    props.messages.forEach((m, i) => {
      for (const end of ['from', 'to'] as const) {
        if (!ids.includes(m[end])) {
          ctx.addIssue({
            code: 'custom',
            path: ['messages', i, end],
            message: `no actor has this id; use one of ${ids.map((id) => `"${id}"`).join(', ')}`,
          });
        }
      }
    });
  });

export type SequenceDiagramProps = z.input<typeof SequenceDiagramSchema>;
export type SequenceDiagramData = z.output<typeof SequenceDiagramSchema>;

/** Geometry for the SVG. Pure, so tests can check it without rendering. */
export type SequenceLayout = {
  width: number;
  height: number;
  lifelineTop: number;
  /** Width of an actor's header box. */
  box: number;
  actors: { id: string; x: number; label: string; sub?: string }[];
  rows: {
    n: number;
    y: number;
    x1: number;
    x2: number;
    self: boolean;
    label: string;
    note?: string;
    kind: 'request' | 'response' | 'referral';
    /**
     * Self-arrows only: the loop is drawn on this side of the lifeline, and the label and note start
     * at textX with this text-anchor. The right is the default; the left is used when the text would
     * run past the diagram's right edge (the rightmost actor, or a long note), and fits on the left.
     */
    side?: 'left' | 'right';
    textX?: number;
    anchor?: 'start' | 'end';
  }[];
};

const CHAR = 6.6; // average width of a 13px sans-serif character
const NOTE_CHAR = 5.9; // the same for the 11.5px notes
const MARGIN = 24;
const HEADER = 52;
/** The least space kept between any text and the edge of the drawing. */
const EDGE = 6;
/** How far a self-arrow's loop reaches out from its lifeline, and where its text starts. */
export const SELF_LOOP = 28;
export const SELF_TEXT = 34;
/** Estimated width in px of a self-arrow's text: the numbered label or the note, whichever is longer. */
export function selfTextWidth(n: number, label: string, note?: string): number {
  return Math.max(`${n}. ${label}`.length * CHAR, (note?.length ?? 0) * NOTE_CHAR);
}

export function layoutSequence(data: SequenceDiagramData): SequenceLayout {
  const index = new Map(data.actors.map((a, i) => [a.id, i]));
  // Columns widen until every label fits over its arrow. Notes may spill half a column past each
  // end (they only cross dotted lifelines), and self-arrow text runs on beside its loop; neither
  // should widen the whole diagram, because a wider SVG is scaled down and all text shrinks. So a
  // self-arrow turns to whichever side has room (see placeSelf), and widens the drawing only when
  // neither side has.
  const need = data.messages
    .filter((m) => m.from !== m.to)
    .map((m) => {
      const span = Math.abs(index.get(m.from)! - index.get(m.to)!);
      const label = ((m.label.length + 4) * CHAR + 12) / span;
      const note = ((m.note?.length ?? 0) * NOTE_CHAR) / (span + 1);
      return Math.max(label, note);
    });
  const header = data.actors.map((a) => Math.max(a.label.length * CHAR, (a.sub?.length ?? 0) * NOTE_CHAR) + 24);
  const col = Math.ceil(Math.min(220, Math.max(130, ...need, ...header)));
  const xOf = (id: string) => MARGIN + col / 2 + index.get(id)! * col;
  const base = MARGIN * 2 + col * data.actors.length;
  // Self-arrow text runs to the right of its lifeline when it fits inside the drawing; otherwise the
  // loop and the text flip to the left, as long as they fit there (the rightmost actor's usual case).
  const placeSelf = (x: number, textWidth: number) => {
    const fitsRight = x + SELF_TEXT + textWidth <= base - EDGE;
    const fitsLeft = x - SELF_TEXT - textWidth >= EDGE;
    return !fitsRight && fitsLeft
      ? { side: 'left' as const, textX: x - SELF_TEXT, anchor: 'end' as const }
      : { side: 'right' as const, textX: x + SELF_TEXT, anchor: 'start' as const };
  };

  let width = MARGIN * 2 + col * data.actors.length;
  let y = HEADER + 22;
  const rows: SequenceLayout['rows'] = data.messages.map((m, i) => {
    const self = m.from === m.to;
    y += 24; // room for the label above the arrow
    const row: SequenceLayout['rows'][number] = {
      n: i + 1,
      y,
      x1: xOf(m.from),
      x2: xOf(m.to),
      self,
      label: m.label,
      note: m.note,
      kind: m.kind,
    };
    if (self) Object.assign(row, placeSelf(row.x1, selfTextWidth(row.n, m.label, m.note)));
    y += (m.note ? 26 : 12) + (self ? 16 : 0);
    return row;
  });
  // A self-arrow whose text fits on neither side (a very long note on a narrow diagram) keeps it on
  // the right and widens the drawing just enough, rather than letting the SVG clip it.
  for (const r of rows) {
    if (r.self && r.side === 'right') {
      const end = r.textX! + selfTextWidth(r.n, r.label, r.note) + EDGE;
      width = Math.max(width, Math.ceil(end));
    }
  }
  return {
    width,
    height: y + 20,
    lifelineTop: HEADER,
    box: col - 14,
    actors: data.actors.map((a) => ({ id: a.id, x: xOf(a.id), label: a.label, sub: a.sub })),
    rows,
  };
}

/** The exchange as sentences, for <desc> and the text list: "1. Stub → Resolver: A? example.com". */
export function describeSteps(data: SequenceDiagramData): string[] {
  const name = new Map(data.actors.map((a) => [a.id, a.label]));
  return data.messages.map((m, i) => {
    const who = m.from === m.to ? `${name.get(m.from)}` : `${name.get(m.from)} → ${name.get(m.to)}`;
    return `${i + 1}. ${who}: ${m.label}${m.note ? ` (${m.note})` : ''}`;
  });
}
