import { runnableBlocks, scriptOf } from "../support/readme-blocks";

describe("README blocks", () => {
  const markdown = [
    "# Title",
    "```sh",
    "npm start",
    "```",
    "text",
    "```bash",
    "A=1",
    "echo $A",
    "```",
    "```json",
    "{}",
    "```",
    "```bash",
    "echo two",
    "```",
  ].join("\n");

  it("keeps the bash blocks in order with their line, leaving sh and other blocks out", () => {
    expect(runnableBlocks(markdown)).toEqual([
      { line: 6, code: "A=1\necho $A" },
      { line: 13, code: "echo two" },
    ]);
  });

  it("refuses a block that is never closed", () => {
    expect(() => runnableBlocks("```bash\necho")).toThrow(/line 1 is never closed/);
  });

  it("makes one strict script with a marker before each block", () => {
    const script = scriptOf(runnableBlocks(markdown));
    expect(script.split("\n")[0]).toBe("set -euo pipefail");
    expect(script).toContain('echo "::README block at line 13" >&2\necho two');
  });
});
