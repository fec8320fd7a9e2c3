/** Exit codes shared by the commands (synth, render, diff): 0 done, 1 problems found, 2 bad usage. */
export const EXIT_USAGE = 2;

/** Prints what is wrong with the command line and returns {@link EXIT_USAGE}. */
export function usageError(log: (line: string) => void, message: string): number {
  log(message);
  return EXIT_USAGE;
}
