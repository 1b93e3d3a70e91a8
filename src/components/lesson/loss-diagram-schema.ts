import { z } from 'astro/zod';

/**
 * Props of <LossDiagram>: a two-party packet timeline that can show what <SequenceDiagram> cannot —
 * a packet lost on the way (the arrow stops short with a ✗) and a pause while a timer runs.
 * Arrows slope downwards because packets take time to cross; that is what makes a retransmission
 * timer visible. Each event is either a packet ({ from, label }) or a pause ({ wait }).
 */
const id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

const ActorSchema = z.strictObject({
  id: id.describe('a short kebab-case id that events refer to, e.g. "client"'),
  label: z.string().min(1).max(24).describe('the name shown on the diagram, at most 24 characters'),
  sub: z.string().max(28).optional().describe('a smaller second line, e.g. "10.0.0.5:51234", at most 28 characters'),
});

const EventSchema = z.strictObject({
  from: z.string().describe('the id of the actor that sends the packet, or that waits'),
  label: z.string().min(1).max(40).optional().describe('what is sent, at most 40 characters, e.g. "seq 2001, 1000 bytes"'),
  note: z.string().max(64).optional().describe('a smaller line under the arrow, at most 64 characters'),
  kind: z
    .enum(['data', 'ack', 'control'])
    .default('data')
    .describe('one of "data" (solid), "ack" (dashed) or "control" (SYN/FIN, dotted)'),
  lost: z.boolean().default(false).describe('true if the packet never arrives'),
  wait: z
    .string()
    .min(3)
    .max(56)
    .optional()
    .describe('instead of a packet: a pause on the `from` actor’s side, e.g. "no ACK; the 1 s timer runs out"'),
});

export const LossDiagramSchema = z
  .strictObject({
    title: z.string().min(3).describe('a caption naming what the diagram shows'),
    description: z.string().min(10).optional().describe('one or two sentences for screen readers summarising it'),
    actors: z.array(ActorSchema).length(2).describe('exactly two actors like { id, label, sub? }, left then right'),
    events: z
      .array(EventSchema)
      .min(1)
      .max(20)
      .describe('a list of 1–20 events: packets like { from, label, kind?, lost? } or pauses like { from, wait }'),
    lesson: z.string().min(1).optional().describe('the lesson slug, e.g. "tcp-vs-udp"'),
  })
  .superRefine((props, ctx) => {
    const ids = props.actors.map((a) => a.id);
    if (ids[0] === ids[1]) ctx.addIssue({ code: 'custom', path: ['actors', 1, 'id'], message: 'is the same as the first actor’s id' });
    props.events.forEach((e, i) => {
      if (e.from === undefined || !ids.includes(e.from)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'from'],
          message: `no actor has this id; use one of ${ids.map((x) => `"${x}"`).join(', ')}`,
        });
      }
      if ((e.label === undefined) === (e.wait === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['events', i], message: 'needs either a `label` (a packet) or a `wait` (a pause), not both' });
      }
      if (e.wait !== undefined && (e.lost || e.note !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['events', i], message: 'is a pause, so it cannot be `lost` or have a `note`' });
      }
    });
  });

export type LossDiagramProps = z.input<typeof LossDiagramSchema>;
export type LossDiagramData = z.output<typeof LossDiagramSchema>;

export type LossLayout = {
  width: number;
  height: number;
  top: number;
  left: number;
  right: number;
  rows: (
    | { type: 'packet'; n: number; x1: number; y1: number; x2: number; y2: number; lost: boolean; kind: 'data' | 'ack' | 'control'; label: string; note?: string }
    | { type: 'wait'; n: number; x: number; y1: number; y2: number; text: string; side: 'left' | 'right' }
  )[];
};

const WIDTH = 600;
const MARGIN = 110;
const TOP = 64;
const FALL = 22; // how far an arrow drops while crossing
const LOST_AT = 0.58; // how far along a lost packet gets

/** Geometry for the SVG. Pure, so tests can check it without rendering. */
export function layoutLoss(data: LossDiagramData): LossLayout {
  const left = MARGIN;
  const right = WIDTH - MARGIN;
  const x = (who: string | undefined) => (who === data.actors[0]!.id ? left : right);
  let y = TOP + 18;
  const rows = data.events.map((e, i) => {
    const n = i + 1;
    if (e.wait !== undefined) {
      const row = { type: 'wait' as const, n, x: x(e.from), y1: y, y2: y + 40, text: e.wait, side: x(e.from) === left ? ('left' as const) : ('right' as const) };
      y += 54;
      return row;
    }
    y += 16; // room for the label above the arrow
    const x1 = x(e.from);
    const xEnd = x1 === left ? right : left;
    const x2 = e.lost ? x1 + (xEnd - x1) * LOST_AT : xEnd;
    const row = {
      type: 'packet' as const,
      n,
      x1,
      y1: y,
      x2,
      y2: y + FALL * (e.lost ? LOST_AT : 1),
      lost: e.lost,
      kind: e.kind,
      label: e.label!,
      note: e.note,
    };
    y += FALL + (e.note ? 26 : 12);
    return row;
  });
  return { width: WIDTH, height: y + 16, top: TOP, left, right, rows };
}

/** The events as sentences, for <desc> and the text list. */
export function describeLoss(data: LossDiagramData): string[] {
  const name = new Map(data.actors.map((a) => [a.id, a.label]));
  const other = (id?: string) => data.actors.find((a) => a.id !== id)!.label;
  return data.events.map((e) => {
    if (e.wait !== undefined) return `${name.get(e.from!)} waits: ${e.wait}`;
    const lost = e.lost ? ' (lost on the way, never arrives)' : '';
    return `${name.get(e.from!)} → ${other(e.from)}: ${e.label}${lost}${e.note ? ` — ${e.note}` : ''}`;
  });
}
