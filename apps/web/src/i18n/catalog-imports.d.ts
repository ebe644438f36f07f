// The two parts of the English catalog (catalog-parts.ts), split and precompiled by vite.config.ts.
declare module 'virtual:souk-messages/shell' {
  const messages: Record<string, string>;
  export default messages;
}
declare module 'virtual:souk-messages/rest' {
  const messages: Record<string, string>;
  export default messages;
}
