import { describe, expect, it } from 'vitest';
import { escapeHtml, newSignIn, passwordChanged, resetPassword, verifyEmail } from './templates.js';

const hostile = '<script>alert("x")</script> & Co';
const link = 'https://souk.example/verify?token=abc123&next=%2Fme';
const when = new Date('2025-03-04T05:06:07Z');

describe('mail templates', () => {
  const all = [
    verifyEmail({ displayName: hostile, link }),
    resetPassword({ displayName: hostile, link, expiresInMinutes: 30 }),
    passwordChanged({ displayName: hostile, when }),
    newSignIn({ displayName: hostile, device: '<img src=x onerror=alert(1)> Firefox on Linux', when }),
  ];

  it('escapes a hostile display name in the HTML and keeps it out of the subject', () => {
    for (const mail of all) {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).toContain(escapeHtml(hostile));
      expect(mail.subject).not.toContain('script');
      expect(mail.subject).toContain('Souk');
      expect(mail.text).toContain(`Hello ${hostile},`);
    }
  });

  it('puts the link in the text and, escaped, in the HTML button and fallback', () => {
    for (const mail of all.slice(0, 2)) {
      expect(mail.text).toContain(link);
      const href = `href="${escapeHtml(link)}"`;
      expect(mail.html.split(href)).toHaveLength(3);
    }
  });

  it('says when the reset link expires, and when and where a password change or sign-in happened', () => {
    expect(all[1]?.text).toContain('30 minutes');
    expect(all[2]?.text).toContain('4 March 2025');
    expect(all[3]?.text).toContain('Firefox on Linux');
    expect(all[3]?.html).toContain('&lt;img src=x onerror=alert(1)&gt; Firefox on Linux');
  });

  it('refuses a link that is not absolute http(s)', () => {
    expect(() => verifyEmail({ displayName: 'A', link: 'javascript:alert(1)' })).toThrow(/http/);
    expect(() => verifyEmail({ displayName: 'A', link: '/verify' })).toThrow(/absolute/);
  });

  it('greets without a name when there is none', () => {
    expect(verifyEmail({ displayName: '  ', link }).text.startsWith('Hello,')).toBe(true);
  });
});
