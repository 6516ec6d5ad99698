// The CLI's short forms: `gpd upload <file.zip> …` reads as `gpd upload file <file.zip> …`; nothing else is rewritten.
import { expandShortForms, resolveCommand } from "../../../shared/cli/commands";

test.each([
  [
    ["upload", "roll.zip", "--org", "77777777777", "--wait"],
    ["upload", "file", "roll.zip", "--org", "77777777777", "--wait"],
  ],
  [
    ["upload", "./out/ROLL.ZIP"],
    ["upload", "file", "./out/ROLL.ZIP"],
  ],
  [
    ["upload", "file", "roll.zip"],
    ["upload", "file", "roll.zip"],
  ],
  [
    ["upload", "sample", "--org", "77777777777"],
    ["upload", "sample", "--org", "77777777777"],
  ],
  [
    ["upload", "--help"],
    ["upload", "--help"],
  ],
  [
    ["inbox", "drop", "a.zip"],
    ["inbox", "drop", "a.zip"],
  ],
])("%j reads as %j", (given, read) => {
  expect(expandShortForms(given)).toEqual(read);
});

test("the short form resolves to the upload command", () => {
  expect(resolveCommand(expandShortForms(["upload", "roll.zip"]))).toMatchObject({ area: "upload", name: "file" });
});
