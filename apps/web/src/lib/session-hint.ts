// Session cookies are httpOnly, so scripts cannot see whether one exists. Asking the API anyway
// costs a visitor who never signed in a 401 (and a refresh attempt) on every page load, and the
// browser logs each as an error. This flag remembers that this browser may have a session.
const KEY = 'souk-session-hint';

export function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    // No storage (privacy settings): always ask.
    return true;
  }
}

export function rememberSession(present: boolean): void {
  try {
    if (present) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Nothing to remember it in; maybeSignedIn() then always asks.
  }
}
