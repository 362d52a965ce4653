// Logging to stderr, so stdout stays clean for --json documents.
const quiet = () => process.env.CUTOVER_QUIET === '1';
function line(level: string, msg: string) {
  if (quiet() && level !== 'error') return;
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${level} ${msg}\n`);
}
export const log = {
  info: (msg: string) => line('info ', msg),
  warn: (msg: string) => line('warn ', msg),
  error: (msg: string) => line('error', msg),
};

/** Mask the password in a connection URL before it is logged or reported. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]+):[^@]*@/, '://$1:****@');
  }
}
