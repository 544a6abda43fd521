/** The CLI's version, printed by --version and sent as the instrumentation scope version. */
export const VERSION = '0.1.0';
