#!/usr/bin/env python3
"""Lists the Swift functions, initializers and subscripts longer than a limit, and fails when one is not an
accepted exception.

    Scripts/long-functions.py [DIR] [LIMIT]      (default: Sources, 120 lines)

The rule (docs/DESIGN.md, "Speed-critical code"): no function over 120 lines, but for a hot loop of a reader
kept whole on purpose; such a function says so in its doc comment ("One function on purpose"), and is listed
here as accepted. Prints `LINES path:line name` per function over the limit, the longest first, and exits 1
when one is not accepted. Brace matching on the text with comments and string literals blanked: no Swift
parser, good enough for this tree (a brace inside a `#"…"#` raw string would confuse it).
"""
import pathlib
import re
import sys

ACCEPTED_MARK = "One function on purpose"
DECLARATION = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*"
    r"(?:(?:public|private|fileprivate|internal|package|static|class|final|override|mutating|nonmutating"
    r"|nonisolated|convenience|required)\s+)*"
    r"(func\s+[^\s(<]+|init[?!]?\s*[(<]|subscript\s*[(<]|deinit\b)"
)


def blanked(source):
    """The source with comments and string literals replaced by spaces (line breaks kept)."""
    out, i, n = [], 0, len(source)
    while i < n:
        if source.startswith("//", i):
            j = source.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
        elif source.startswith("/*", i):
            j = source.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", source[i:j]))
        elif source.startswith('"""', i):
            j = source.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append(re.sub(r"[^\n]", " ", source[i:j]))
        elif source[i] == '"':
            j = i + 1
            while j < n and source[j] not in '"\n':
                j += 2 if source[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
        else:
            j = i + 1
            out.append(source[i])
        i = j
    return "".join(out)


def long_functions(root, limit):
    for path in sorted(pathlib.Path(root).rglob("*.swift")):
        original = path.read_text(encoding="utf-8").split("\n")
        text = blanked("\n".join(original))
        lines = text.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        for number, line in enumerate(lines):
            match = DECLARATION.match(line)
            if not match:
                continue
            brace = text.find("{", starts[number])
            if brace < 0:
                continue
            depth, j = 0, brace
            while j < len(text):
                if text[j] == "{":
                    depth += 1
                elif text[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            length = text.count("\n", starts[number], j) + 1
            if length <= limit:
                continue
            above = number - 1
            while above >= 0 and original[above].strip().startswith(("///", "@")):
                above -= 1
            accepted = any(ACCEPTED_MARK in l for l in original[above + 1 : number])
            yield length, f"{path}:{number + 1}", match.group(1).strip(), accepted


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Sources"
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    found = sorted(long_functions(root, limit), reverse=True)
    for length, where, name, accepted in found:
        print(f"{length:5d} {where} {name}" + ("  (accepted: one function on purpose)" if accepted else ""))
    refused = [f for f in found if not f[3]]
    if refused:
        print(f"{len(refused)} function(s) over {limit} lines: split them into named steps", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
