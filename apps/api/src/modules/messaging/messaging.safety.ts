import type { SafetyWarningKind } from './messaging.schema.js';

/**
 * Spots the two things scammers ask for before a sale: to move off the platform (a phone number,
 * an email address, a messenger handle link) and to be paid outside it (a payment link or
 * service, a crypto wallet). A payment link outranks contact details. Heuristics, tuned so that
 * prices, years, mileage and chassis numbers pass.
 */
export function detectSafetyWarning(text: string): SafetyWarningKind | null {
  if (text.trim() === '') return null;
  const folded = fold(text);
  if (PAYMENT_PATTERNS.some((pattern) => pattern.test(folded)) || hasCryptoAddress(text))
    return 'payment_link';
  if (CONTACT_PATTERNS.some((pattern) => pattern.test(folded)) || hasPhoneNumber(text))
    return 'contact_details';
  return null;
}

/** Lower case, "dot" and spaced dots closed up, so "paypal . me" and "x (at) y (dot) com" match. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s*(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s)\s*/g, '.')
    .replace(/\s*(?:\(at\)|\[at\]|\{at\})\s*/g, '@')
    .replace(/(\w)\s+\.\s*(com|net|org|me|lk|io)\b/g, '$1.$2');
}

const PAYMENT_PATTERNS: RegExp[] = [
  /\bpaypal\.(?:me|com)\b/,
  /\bpaypal\s+(?:friends|f\s*&\s*f|ff\b)/,
  /\bwise\.com\b/,
  /\b(?:pay|send|transfer)\w*\s+(?:\w+\s+){0,3}(?:via|by|through|on|with)\s+wise\b/,
  /\brevolut\b/,
  /\bwestern\s*union\b/,
  /\bmoney\s*gram\b/,
  /\bcash\.app\b/,
  /\bvenmo\b/,
  /\bzelle\b/,
  /\bskrill\b/,
  /\bpayoneer\b/,
  /\bbuy\.stripe\.com\b/,
  /\b(?:bitcoin|btc|usdt|ethereum|eth|crypto)\s+(?:wallet|address)\b/,
];

const CONTACT_PATTERNS: RegExp[] = [
  // An email address, also written "name (at) gmail (dot) com".
  /[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/,
  /[\w.+-]+\s+at\s+(?:gmail|yahoo|hotmail|outlook|icloud|proton(?:mail)?|live)\b/,
  // Messenger links and handles.
  /\bwa\.me\//,
  /\bt\.me\//,
  /\b(?:whats\s*app|viber|telegram|signal|imo)\s+(?:me|my|number|no\.?|on|at|@)/,
];

const NUMBER_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

/** A run of 9 to 15 digits with the separators people type between them. */
const PHONE_CANDIDATE = /(?<![\p{L}\d])(?:\+|00)?\(?\d(?:[\s()./-]{0,2}\d){7,16}(?![\p{L}\d])/gu;
/** Before a price, or after a measure: not a phone number. */
const MONEY_BEFORE = /(?:rs\.?|lkr|usd|eur|gbp|aed|sar|\$|€|£|price|budget)\s*$/i;
const UNIT_AFTER = /^\s*(?:km|kms|kg|cc|mi|miles|rs|lkr|usd|\/=|=)/i;

function hasPhoneNumber(text: string): boolean {
  // "zero seven seven ..." counts as digits; so do digits spelled out one by one.
  const spelled = text.replace(
    /\b(zero|oh|one|two|three|four|five|six|seven|eight|nine)\b/gi,
    (word) => NUMBER_WORDS[word.toLowerCase()] ?? word,
  );
  for (const match of spelled.matchAll(PHONE_CANDIDATE)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length < 9 || digits.length > 15) continue;
    const before = spelled.slice(Math.max(0, match.index - 12), match.index);
    const after = spelled.slice(match.index + match[0].length, match.index + match[0].length + 6);
    if (MONEY_BEFORE.test(before) || UNIT_AFTER.test(after)) continue;
    // A range of years or a date written out ("2015-2018", "12.05.2024") is not a number to call.
    if (/^\d{4}\s*-\s*\d{4}$/.test(match[0].trim()) || /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(match[0]))
      continue;
    return true;
  }
  return false;
}

const BASE58 = '[1-9A-HJ-NP-Za-km-z]';
const CRYPTO_PATTERNS = [
  /\bbc1[ac-hj-np-z02-9]{25,71}\b/i,
  /\b0x[a-fA-F0-9]{40}\b/,
  new RegExp(`\\bT${BASE58}{33}\\b`),
  new RegExp(`\\b[13]${BASE58}{25,34}\\b`),
];

function hasCryptoAddress(text: string): boolean {
  return CRYPTO_PATTERNS.some((pattern) => {
    const match = text.match(pattern);
    // An address mixes letters and digits; a long plain number is not one.
    return match !== null && /\d/.test(match[0].slice(1)) && /[a-z]/i.test(match[0].slice(2));
  });
}
