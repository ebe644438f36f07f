import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';

export const RoleName = z.enum(['member', 'moderator', 'admin']);
export type RoleName = z.infer<typeof RoleName>;

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'enter an e-mail address such as amaya@example.com' }))
  .transform((value) => value.toLowerCase());

/** Length only here: the server also refuses the 10,000 most common passwords. */
export const NewPassword = z
  .string()
  .min(10, 'use at least 10 characters')
  .max(128, 'use at most 128 characters');

export const DisplayName = z.string().trim().min(1).max(60);

/** `?mode=cookie`: the web app gets httpOnly cookies instead of tokens in the body. */
export const SessionModeQuery = z.object({ mode: z.enum(['token', 'cookie']).default('token') });

export const RegisterBody = z
  .object({ email: Email, password: NewPassword, displayName: DisplayName })
  .strip()
  .describe('Unknown fields such as role or emailVerified are ignored');
export type RegisterBody = z.input<typeof RegisterBody>;

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(128) });
export type LoginBody = z.input<typeof LoginBody>;

export const MfaLoginBody = z
  .object({
    mfaToken: z.string().min(1).max(2000),
    code: z
      .string()
      .regex(/^\d{6}$/, 'enter the 6-digit code')
      .optional(),
    recoveryCode: z.string().trim().min(8).max(20).optional(),
  })
  .refine((body) => Boolean(body.code) !== Boolean(body.recoveryCode), 'send either code or recoveryCode');

export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(200).optional() });

export const SessionUser = z
  .object({
    id: Id,
    email: z.string(),
    emailVerified: z.boolean(),
    role: RoleName,
    displayName: z.string(),
    avatarUrl: z.string().nullable(),
    twoFactorEnabled: z.boolean(),
    hasPassword: z.boolean(),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof SessionUser>;

export const SessionInfo = z
  .object({
    id: Id,
    method: z.string(),
    userAgent: z.string().nullable(),
    ipAddress: z.string().nullable(),
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime,
    current: z.boolean(),
  })
  .meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;

/** Tokens only appear for API clients (`mode=token`); cookie sessions carry none in the body. */
export const SignedIn = z
  .object({
    status: z.literal('signed_in'),
    user: SessionUser,
    accessToken: z.string().optional(),
    refreshToken: z.string().optional(),
    expiresIn: z.number().int().describe('Seconds until the access token expires'),
  })
  .meta({ id: 'SignedIn' });
export type SignedIn = z.infer<typeof SignedIn>;

export const MfaRequired = z
  .object({
    status: z.literal('mfa_required'),
    mfaToken: z.string().describe('Send it to /auth/login/mfa with a code within 5 minutes'),
  })
  .meta({ id: 'MfaRequired' });

export const LoginResult = z.discriminatedUnion('status', [SignedIn, MfaRequired]);
export type LoginResult = z.infer<typeof LoginResult>;

export const CurrentSession = z.object({ user: SessionUser, session: SessionInfo });
export type CurrentSession = z.infer<typeof CurrentSession>;

export const SessionList = z.object({ items: z.array(SessionInfo) });
export type SessionList = z.infer<typeof SessionList>;

export const TokenBody = z.object({ token: z.string().min(10).max(200) });
export const ForgotPasswordBody = z.object({ email: Email });
export const ResetPasswordBody = z.object({ token: z.string().min(10).max(200), newPassword: NewPassword });
export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(128),
  newPassword: NewPassword,
});
/** Proof it is really the owner: the password, or a current code for an account without one. */
export const ReauthBody = z
  .object({
    password: z.string().min(1).max(128).optional(),
    code: z
      .string()
      .regex(/^\d{6}$/, 'enter the 6-digit code')
      .optional(),
  })
  .refine(
    (body) => body.password !== undefined || body.code !== undefined,
    'send password (or code without one)',
  );
export const TotpCodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'enter the 6-digit code') });

export const TotpEnrolment = z.object({
  secret: z.string().describe('Base32 secret, for typing into an authenticator app'),
  otpauthUri: z.string().describe('otpauth:// URI to show as a QR code'),
});
export const RecoveryCodes = z.object({
  recoveryCodes: z.array(z.string()).describe('Shown once; each works once'),
});

export const CsrfToken = z.object({ token: z.string() });

export const OAuthProvider = z.object({ id: z.string(), name: z.string() });
export const OAuthProviderList = z.object({ items: z.array(OAuthProvider) });
export const OAuthStartQuery = z.object({
  returnTo: z
    .string()
    .max(500)
    .regex(/^\/(?!\/)[^\s\\]*$/, 'must be a path on this site')
    .default('/'),
  link: z.enum(['true', 'false']).default('false'),
});
export const OAuthCallbackQuery = z.object({
  state: z.string().max(500).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  iss: z.string().max(500).optional(),
});
export const ProviderParams = z.object({ provider: z.string().regex(/^[a-z0-9-]{1,40}$/) });
