// Cookie and header names shared by the server and the browser code (no imports: safe to bundle for the page).
export const COOKIE_PREFIX = "sweepboard";
/** The double-submit CSRF cookie, readable by this origin's scripts and echoed in CSRF_HEADER with every write. */
export const CSRF_COOKIE = `${COOKIE_PREFIX}.csrf`;
export const CSRF_HEADER = "x-csrf-token";
