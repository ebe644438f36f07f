import type { ReactNode } from 'react';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Sentence punctuation right after a link is not part of it ("see https://x.example."). */
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * Plain text from members with its http(s) addresses as links. React escapes the text, only
 * http and https become links (never javascript: or data:), and the links are marked as user
 * content (nofollow ugc) and open without giving the page a handle on this one.
 */
export function LinkifiedText({ text, className }: { text: string; className?: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const raw = match[0];
    const url = raw.replace(TRAILING, '');
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a
        key={start}
        href={url}
        rel="noopener noreferrer nofollow ugc"
        target="_blank"
        className="break-all text-brand-700 underline underline-offset-2 hover:text-brand-800"
      >
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <p className={className}>{parts}</p>;
}
