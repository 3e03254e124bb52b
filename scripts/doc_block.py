"""One rule for the generated tables in the docs: a block between `<!-- NAME:begin -->` and
`<!-- NAME:end -->` that only a script writes. Used by coverage-table.py, mcnemar-coverage.py and
studentized-coverage.sh."""
import re


def replace_block(path, name, text, check=False, who=None):
    """Puts `text` between the NAME markers of the file at `path` (exactly one pair must exist).
    check=True writes nothing and fails when the file does not already hold that text. Returns
    True when the file was written."""
    who = who or name
    doc = open(path).read()
    block = f"<!-- {name}:begin -->\n{text}\n<!-- {name}:end -->"
    new, count = re.subn(rf"<!-- {name}:begin -->.*?<!-- {name}:end -->", lambda m: block, doc, flags=re.S)
    if count != 1:
        raise SystemExit(f"{who}: {path} needs exactly one {name}:begin/end block")
    if check:
        if new != doc:
            raise SystemExit(f"{who}: the {name} block of {path} is not what the program gives now: run "
                             f"the script (or scripts/update-docs.sh) and commit the result")
        return False
    open(path, "w").write(new)
    return True
