/**
 * The mails Souk sends, each as `{ subject, text, html }`. Every value put into the HTML is
 * escaped, and no user-given value goes into a subject, so a display name such as
 * `<script>` or one with a line break can neither inject markup nor a mail header.
 */

export type RenderedMail = { subject: string; text: string; html: string };

const APP_NAME = 'Souk';
const BRAND = '#c04a26';

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Only absolute http(s) links go into a mail: a `javascript:` or relative one is a bug upstream. */
function checkedLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new Error('mail link must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('mail link must be http(s)');
  return url.toString();
}

/** Mail clients ignore <style> blocks and most layout CSS, so: tables, inline styles, one column. */
function layout(parts: { preheader: string; heading: string; body: string; footer?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.heading)}</title>
</head>
<body style="margin:0;padding:0;background:#f5f5f4;">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(parts.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f5f5f4;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border:1px solid #e7e5e4;border-radius:12px;">
<tr><td style="padding:24px 32px 0 32px;font-family:Arial,Helvetica,sans-serif;font-size:22px;font-weight:bold;color:${BRAND};">${APP_NAME}</td></tr>
<tr><td style="padding:16px 32px 32px 32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#1c1917;">
<h1 style="margin:0 0 16px 0;font-size:20px;line-height:28px;color:#1c1917;">${escapeHtml(parts.heading)}</h1>
${parts.body}
</td></tr>
</table>
<p style="margin:16px 0 0 0;font-family:Arial,Helvetica,sans-serif;font-size:12px;line-height:18px;color:#78716c;">${parts.footer ?? `You get this mail because of your ${APP_NAME} account.`}</p>
</td></tr>
</table>
</body>
</html>
`;
}

const paragraph = (html: string) => `<p style="margin:0 0 16px 0;">${html}</p>`;

function button(label: string, link: string): string {
  const href = escapeHtml(link);
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;"><tr>
<td style="border-radius:999px;background:${BRAND};"><a href="${href}" style="display:inline-block;padding:12px 24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:999px;">${escapeHtml(label)}</a></td>
</tr></table>
${paragraph(`If the button does not work, copy this link into your browser:<br><a href="${href}" style="color:${BRAND};word-break:break-all;">${href}</a>`)}`;
}

function greeting(displayName: string): { text: string; html: string } {
  const name = displayName.replace(/\s+/g, ' ').trim();
  return name
    ? { text: `Hello ${name},`, html: paragraph(`Hello ${escapeHtml(name)},`) }
    : { text: 'Hello,', html: paragraph('Hello,') };
}

function formatWhen(when: Date): string {
  return `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(when)} UTC`;
}

function textMail(lines: string[]): string {
  return `${lines.join('\n\n')}\n\n— ${APP_NAME}\n`;
}

export function verifyEmail(input: { displayName: string; link: string }): RenderedMail {
  const link = checkedLink(input.link);
  const hello = greeting(input.displayName);
  const heading = 'Confirm your email address';
  return {
    subject: `Confirm your email address for ${APP_NAME}`,
    text: textMail([
      hello.text,
      `Confirm that this is your email address by opening this link:\n${link}`,
      `If you did not create a ${APP_NAME} account, you can ignore this mail.`,
    ]),
    html: layout({
      preheader: `Confirm your email address to finish setting up your ${APP_NAME} account.`,
      heading,
      body: [
        hello.html,
        paragraph('Confirm that this is your email address to finish setting up your account.'),
        button('Confirm email address', link),
        paragraph(`If you did not create a ${APP_NAME} account, you can ignore this mail.`),
      ].join('\n'),
    }),
  };
}

export function resetPassword(input: {
  displayName: string;
  link: string;
  expiresInMinutes: number;
}): RenderedMail {
  const link = checkedLink(input.link);
  const hello = greeting(input.displayName);
  const minutes = Math.max(1, Math.round(input.expiresInMinutes));
  const expiry = `The link works once, for the next ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  const ignore = 'If you did not ask for this, ignore this mail: your password stays as it is.';
  return {
    subject: `Reset your ${APP_NAME} password`,
    text: textMail([
      hello.text,
      `Someone asked to reset the password of your ${APP_NAME} account. Choose a new one here:\n${link}`,
      expiry,
      ignore,
    ]),
    html: layout({
      preheader: `Choose a new password for your ${APP_NAME} account.`,
      heading: 'Reset your password',
      body: [
        hello.html,
        paragraph(`Someone asked to reset the password of your ${APP_NAME} account.`),
        button('Choose a new password', link),
        paragraph(escapeHtml(expiry)),
        paragraph(escapeHtml(ignore)),
      ].join('\n'),
    }),
  };
}

export function unlockAccount(input: {
  displayName: string;
  link: string;
  expiresInMinutes: number;
}): RenderedMail {
  const link = checkedLink(input.link);
  const hello = greeting(input.displayName);
  const intro = `Many wrong passwords were tried for your ${APP_NAME} account, so signing in from a new device is paused.`;
  const how =
    'Open this link in the browser you sign in with: that browser can then sign in with your password as usual.';
  const expiry = `The link works once, for the next ${Math.max(1, Math.round(input.expiresInMinutes))} minutes.`;
  const safety =
    'Your password was not changed. If you did not ask for this mail, consider changing it anyway.';
  return {
    subject: `Sign in to your ${APP_NAME} account again`,
    text: textMail([hello.text, intro, `${how}\n${link}`, expiry, safety]),
    html: layout({
      preheader: intro,
      heading: 'Sign in again from this browser',
      body: [
        hello.html,
        paragraph(escapeHtml(intro)),
        paragraph(escapeHtml(how)),
        button('Let this browser sign in', link),
        paragraph(escapeHtml(expiry)),
        paragraph(escapeHtml(safety)),
      ].join('\n'),
    }),
  };
}

export function passwordChanged(input: { displayName: string; when: Date }): RenderedMail {
  const hello = greeting(input.displayName);
  const when = formatWhen(input.when);
  const changed = `The password of your ${APP_NAME} account was changed on ${when}.`;
  const notYou =
    'If you did not change it, reset your password at once and sign out of every device from your account settings.';
  return {
    subject: `Your ${APP_NAME} password was changed`,
    text: textMail([hello.text, changed, notYou]),
    html: layout({
      preheader: changed,
      heading: 'Your password was changed',
      body: [hello.html, paragraph(escapeHtml(changed)), paragraph(escapeHtml(notYou))].join('\n'),
    }),
  };
}

export function newSignIn(input: { displayName: string; device: string; when: Date }): RenderedMail {
  const hello = greeting(input.displayName);
  const when = formatWhen(input.when);
  const device = input.device.replace(/\s+/g, ' ').trim() || 'an unknown device';
  const intro = `Your ${APP_NAME} account was just signed in to from a new device.`;
  const notYou =
    'If this was you, there is nothing to do. If not, change your password at once and sign out of every device from your account settings.';
  return {
    subject: `New sign-in to your ${APP_NAME} account`,
    text: textMail([hello.text, intro, `Device: ${device}\nWhen: ${when}`, notYou]),
    html: layout({
      preheader: intro,
      heading: 'New sign-in to your account',
      body: [
        hello.html,
        paragraph(escapeHtml(intro)),
        paragraph(
          `<strong>Device:</strong> ${escapeHtml(device)}<br><strong>When:</strong> ${escapeHtml(when)}`,
        ),
        paragraph(escapeHtml(notYou)),
      ].join('\n'),
    }),
  };
}

/**
 * A notification mail (notifications module): a heading, plain lines, optional items (the digest),
 * an optional button, and a footer with the one-click unsubscribe link of its type.
 */
export function notificationMail(input: {
  displayName: string;
  subject: string;
  heading: string;
  lines: string[];
  items?: { title: string; body: string; link: string | null }[];
  action?: { label: string; link: string };
  unsubscribe: { label: string; link: string };
}): RenderedMail {
  const hello = greeting(input.displayName);
  const unsubscribe = checkedLink(input.unsubscribe.link);
  const action = input.action && { label: input.action.label, link: checkedLink(input.action.link) };
  const items = (input.items ?? []).map((item) => ({ ...item, link: item.link && checkedLink(item.link) }));
  const why = `You get this mail because of your ${APP_NAME} account.`;
  const stop = `Stop these mails (${input.unsubscribe.label})`;
  return {
    subject: input.subject.replace(/[\r\n]+/g, ' ').trim(),
    text: textMail([
      hello.text,
      input.heading,
      ...input.lines,
      ...items.map((item) => [item.title, item.body, item.link].filter(Boolean).join('\n')),
      ...(action ? [`${action.label}:\n${action.link}`] : []),
      `${why}\n${stop}: ${unsubscribe}`,
    ]),
    html: layout({
      preheader: input.lines[0] ?? input.heading,
      heading: input.heading,
      body: [
        hello.html,
        ...input.lines.map((line) => paragraph(escapeHtml(line))),
        ...items.map((item) =>
          paragraph(
            `<strong>${item.link ? `<a href="${escapeHtml(item.link)}" style="color:${BRAND};">${escapeHtml(item.title)}</a>` : escapeHtml(item.title)}</strong><br>${escapeHtml(item.body)}`,
          ),
        ),
        ...(action ? [button(action.label, action.link)] : []),
      ].join('\n'),
      footer: `${escapeHtml(why)} <a href="${escapeHtml(unsubscribe)}" style="color:#78716c;">${escapeHtml(stop)}</a>`,
    }),
  };
}

export const mailTemplates = {
  verifyEmail,
  resetPassword,
  unlockAccount,
  passwordChanged,
  newSignIn,
  notificationMail,
};
