// The README's runnable blocks: every fenced ```bash block, in order (```sh blocks are shown but not run, such as
// `npm install && npm start`, which the test replaces with a stack of its own).
export interface ReadmeBlock {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  code: string;
}

export function runnableBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = markdown.split("\n");
  let open: { line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    if (open === undefined) {
      if (/^```bash\s*$/.test(text)) open = { line: i + 1, body: [] };
      return;
    }
    if (/^```\s*$/.test(text)) {
      blocks.push({ line: open.line, code: open.body.join("\n") });
      open = undefined;
      return;
    }
    open.body.push(text);
  });
  if (open !== undefined) throw new Error(`README: the block opened at line ${open.line} is never closed`);
  return blocks;
}

/**
 * One bash script running the blocks in order, as a reader pasting them into one terminal would: variables carry
 * over, the first failing command stops it, and a marker before each block tells which one failed.
 */
export function scriptOf(blocks: readonly ReadmeBlock[]): string {
  return [
    "set -euo pipefail",
    ...blocks.map((b) => `echo "::README block at line ${b.line}" >&2\n${b.code}`),
    'echo "::README done" >&2',
  ].join("\n");
}
