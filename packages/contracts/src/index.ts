export * from './auth.js';
export * from './catalog.js';
export * from './common.js';
export * from './imports.js';
export * from './listings.js';
export * from './mail.js';
export * from './users.js';
