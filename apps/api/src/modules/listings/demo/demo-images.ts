/**
 * Generated photos for the demo listings: a 1200 x 800 JPEG per listing, a gradient in the
 * colours of its top-level category with the title and a caption drawn from our own SVG. They
 * go through the media module like an upload (checked, re-encoded, stored) via a
 * {@link DemoImageStore}, so they look and behave like any seller's photos.
 */
import sharp from 'sharp';

export const DEMO_IMAGE_WIDTH = 1200;
export const DEMO_IMAGE_HEIGHT = 800;

/** Two gradient stops per top-level category; anything else gets the last pair. */
const palettes: Record<string, readonly [string, string]> = {
  vehicles: ['#1d3557', '#457b9d'],
  property: ['#2d6a4f', '#74c69d'],
  electronics: ['#3a0ca3', '#4cc9f0'],
  'home-garden': ['#9c6644', '#ddb892'],
  fashion: ['#b5179e', '#f72585'],
  collectibles: ['#7f5539', '#e6ccb2'],
  services: ['#e76f51', '#f4a261'],
  showcase: ['#14213d', '#fca311'],
  other: ['#495057', '#adb5bd'],
};

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch,
  );

/** Splits a title into lines of at most `width` characters (words are not broken unless too long). */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) line = next;
    else {
      if (line) lines.push(line);
      line = word.length > width ? `${word.slice(0, width - 1)}…` : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${(kept[maxLines - 1] as string).slice(0, width - 1)}…`;
    return kept;
  }
  return lines;
}

export type DemoImageInput = {
  title: string;
  /** A smaller line under the title, e.g. "Colombo · LKR 7,450,000". */
  caption: string;
  /** The top-level category's slug; picks the colours. */
  topSlug: string;
  /** Varies the decoration, so two photos of one listing differ (0, 1, …). */
  variant?: number;
};

/**
 * One demo photo as JPEG bytes (about 40-70 KB). The whole picture is one SVG of our own, which
 * librsvg renders in about 20 ms; compositing text over a background image took twice as long.
 */
export async function renderDemoImage(input: DemoImageInput): Promise<Buffer> {
  const [from, to] = palettes[input.topSlug] ?? palettes.other ?? ['#495057', '#adb5bd'];
  const variant = input.variant ?? 0;
  const lines = wrap(input.title, 26, 3);
  const fontSize = 64;
  const top = 400 - ((lines.length - 1) * fontSize * 1.2) / 2;
  const circleX = 200 + ((variant * 373) % 800);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${DEMO_IMAGE_WIDTH}" height="${DEMO_IMAGE_HEIGHT}">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${from}"/>
      <stop offset="1" stop-color="${to}"/>
    </linearGradient>
  </defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <circle cx="${circleX}" cy="${160 + (variant % 4) * 90}" r="${260 + (variant % 4) * 40}" fill="#ffffff" fill-opacity="0.08"/>
  <circle cx="${1100 - circleX / 2}" cy="700" r="220" fill="#000000" fill-opacity="0.07"/>
  <g font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" fill="#ffffff" text-anchor="middle">
${lines
  .map(
    (line, index) =>
      `    <text x="600" y="${Math.round(top + index * fontSize * 1.2)}" font-size="${fontSize}" font-weight="bold">${escapeXml(line)}</text>`,
  )
  .join('\n')}
    <text x="600" y="${Math.round(top + lines.length * fontSize * 1.2 + 30)}" font-size="36" fill-opacity="0.85">${escapeXml(input.caption)}</text>
    <text x="1160" y="770" font-size="24" text-anchor="end" fill-opacity="0.6">Souk demo photo${variant > 0 ? ` ${variant + 1}` : ''}</text>
  </g>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 82 }).toBuffer();
}

/**
 * Where demo photos go: stores `images` for a listing as its seller would upload them. The
 * media module provides it (see `mediaDemoImageStore` in listings.seed.ts).
 */
export type DemoImageStore = (input: {
  listingId: string;
  sellerId: string;
  images: { filename: string; bytes: Buffer }[];
}) => Promise<void>;
