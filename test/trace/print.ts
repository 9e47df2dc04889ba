/** Prints a trace's files of src/ and, after each, the functions of it that ran. */
export function printTrace(title: string, files: Map<string, string[]>): void {
  const lines = [...files].map(([file, fns]) => `${file}  ${[...new Set(fns)].join(' ')}`);
  process.stdout.write(`\n${title}: ${files.size} files of src/ ran\n${lines.join('\n')}\n`);
}
