/**
 * Which messages ride in the first chunk. The shell (header, footer, menus, error and not-found
 * pages) renders before any page's chunk and must never wait for a catalog; everything else is in
 * the rest of the catalog, fetched beside the first page's chunk (catalog.ts). vite.config.ts splits
 * `messages/en.json` by this rule, and scripts/catalog-parts.test.ts checks that every message id the
 * first chunk's modules name is in the shell's part.
 */
export const SHELL_MESSAGE_PREFIXES = ['common.', 'shell.', 'ui.', 'search.searchForm.'] as const;

export function isShellMessage(id: string): boolean {
  return SHELL_MESSAGE_PREFIXES.some((prefix) => id.startsWith(prefix));
}
