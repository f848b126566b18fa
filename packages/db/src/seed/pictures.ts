import { availableParallelism } from 'node:os';

import { type ImageStorage, storeSvgImage } from '@buybuy/images';
import pLimit from 'p-limit';

import { type LeafPlace, LEAVES } from './catalog';

/**
 * The seed's product pictures, drawn as SVG (rendered and stored by
 * `@buybuy/images`, like an upload). A person tells them apart at a glance:
 * each leaf category has its own colour and shape, each department its own
 * background pattern, and the product's initials sit in the middle, with its
 * name and its category's underneath.
 */

/** One per leaf in turn; with the colour, no two leaves look alike. */
const SHAPES = ['circle', 'square', 'hexagon', 'diamond', 'star', 'capsule'] as const;
type Shape = (typeof SHAPES)[number];

/** The department's background pattern, 40 px tiles in the leaf's mid tone. */
const PATTERNS: Record<string, (ink: string) => string> = {
  Electronics: (ink) => `<path d="M0 0H40M0 0V40" stroke="${ink}" stroke-width="2" fill="none"/>`,
  Home: (ink) =>
    `<path d="M-10 10L10 -10M0 40L40 0M30 50L50 30" stroke="${ink}" stroke-width="6"/>`,
  Fashion: (ink) => `<circle cx="20" cy="20" r="5" fill="${ink}"/>`,
  Outdoors: (ink) =>
    `<path d="M0 30L10 18L20 30L30 18L40 30" stroke="${ink}" stroke-width="3" fill="none"/>`,
};

const SIZE = 800;
const FONT = "'DejaVu Sans', 'Liberation Sans', Helvetica, Arial, sans-serif";

export interface PictureStyle {
  hue: number;
  shape: Shape;
}

/**
 * The look every picture of one leaf category shares. Each leaf has its own
 * hue, evenly spread round the wheel and shuffled (step 11 of 26), so leaves
 * side by side in the tree are far apart in colour; the two leaves closest in
 * hue (7 apart in the tree) never share a shape.
 */
export const pictureStyle = (place: LeafPlace): PictureStyle => ({
  hue: Math.round((((place.index * 11) % LEAVES.length) * 360) / LEAVES.length),
  shape: SHAPES[place.index % SHAPES.length]!,
});

/** The product's initials: the first letter of each of its first three words. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter((word) => /^[A-Za-z0-9]/.test(word))
    .slice(0, 3)
    .map((word) => word[0]!.toUpperCase())
    .join('');

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The shape's outline centred on the canvas, about 520 px across. */
function shapePath(shape: Shape): string {
  const c = SIZE / 2;
  const polygon = (points: number, radius: number, turn = -Math.PI / 2, inner?: number) =>
    Array.from({ length: inner ? points * 2 : points }, (_, i) => {
      const r = inner && i % 2 === 1 ? inner : radius;
      const angle = turn + (i * 2 * Math.PI) / (inner ? points * 2 : points);
      return `${Math.round(c + r * Math.cos(angle))},${Math.round(c - 40 + r * Math.sin(angle))}`;
    }).join(' ');
  switch (shape) {
    case 'circle':
      return `<circle cx="${c}" cy="${c - 40}" r="250"/>`;
    case 'square':
      return `<rect x="${c - 240}" y="${c - 280}" width="480" height="480" rx="64"/>`;
    case 'hexagon':
      return `<polygon points="${polygon(6, 270, 0)}"/>`;
    case 'diamond':
      return `<polygon points="${polygon(4, 290)}"/>`;
    case 'star':
      return `<polygon points="${polygon(5, 290, -Math.PI / 2, 150)}"/>`;
    case 'capsule':
      return `<rect x="${c - 290}" y="${c - 190}" width="580" height="300" rx="150"/>`;
  }
}

export interface Picture {
  place: LeafPlace;
  productName: string;
  /** The primary picture, or a second view in the category's colours turned around. */
  view: 'front' | 'detail';
}

/** The SVG of one picture: the same inputs give the same text, so the same stored files. */
export function pictureSvg({ place, productName, view }: Picture): string {
  const { hue, shape } = pictureStyle(place);
  const tint = `hsl(${hue}, 70%, 90%)`;
  const mid = `hsl(${hue}, 55%, 78%)`;
  const strong = `hsl(${hue}, 60%, 34%)`;
  const dark = `hsl(${hue}, 45%, 18%)`;
  const front = view === 'front';
  const pattern = PATTERNS[place.department.name]?.(front ? mid : strong) ?? '';
  const category = front ? place.leaf.name : `${place.leaf.name} · detail`;
  // Long names are squeezed to the band's width rather than cut.
  const fit = productName.length > 30 ? ' textLength="740" lengthAdjust="spacingAndGlyphs"' : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    `<defs><pattern id="p" width="40" height="40" patternUnits="userSpaceOnUse">${pattern}</pattern></defs>`,
    `<rect width="${SIZE}" height="${SIZE}" fill="${front ? tint : dark}"/>`,
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#p)"/>`,
    front
      ? `<g fill="${strong}">${shapePath(shape)}</g>`
      : `<g fill="${dark}" stroke="${tint}" stroke-width="28">${shapePath(shape)}</g>`,
    `<text x="${SIZE / 2}" y="${SIZE / 2 - 40}" dy="0.35em" text-anchor="middle" font-family="${FONT}"`,
    ` font-weight="700" font-size="170" fill="${front ? '#fff' : tint}">${escapeXml(initials(productName))}</text>`,
    `<rect y="${SIZE - 150}" width="${SIZE}" height="150" fill="${front ? strong : tint}"/>`,
    `<text x="${SIZE / 2}" y="${SIZE - 100}" dy="0.35em" text-anchor="middle" font-family="${FONT}"${fit}`,
    ` font-weight="700" font-size="42" fill="${front ? '#fff' : dark}">${escapeXml(productName)}</text>`,
    `<text x="${SIZE / 2}" y="${SIZE - 45}" dy="0.35em" text-anchor="middle" font-family="${FONT}"`,
    ` font-size="34" fill="${front ? '#fff' : dark}">${escapeXml(category)}</text>`,
    '</svg>',
  ].join('');
}

export interface StoredPicture {
  image_url: string;
  thumbnail_url: string;
}

/**
 * Stores pictures through `storage`, rendering each distinct SVG once (a large
 * seed repeats names, so it reuses their files) and at most `parallel` at a
 * time: each render holds a few MB of pixels, and sharp queues the rest.
 */
export function pictureStore(storage: ImageStorage, parallel = availableParallelism()) {
  const stored = new Map<string, Promise<StoredPicture>>();
  const limit = pLimit(parallel);
  return (picture: Picture): Promise<StoredPicture> => {
    const svg = pictureSvg(picture);
    let result = stored.get(svg);
    if (!result) {
      // Flat drawings: the fastest WebP effort keeps them small and the seed quick.
      result = limit(() => storeSvgImage(storage, svg, { effort: 0 }));
      stored.set(svg, result);
    }
    return result;
  };
}
