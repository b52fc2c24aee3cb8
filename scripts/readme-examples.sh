#!/usr/bin/env bash
# Runs the README's examples that are marked to run (a "<!-- runs in CI -->" line right before a
# ```bash block), each in a fresh shell from the repository root, and fails on the first that fails.
# They write under runs/readme-examples/ (removed before and after).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
rm -rf runs/readme-examples
trap 'rm -rf runs/readme-examples' EXIT
blocks=$(python3 - <<'PY'
import json, re
text = open("README.md").read()
print(json.dumps(re.findall(r"<!-- runs in CI -->\n```bash\n(.*?)```", text, re.S)))
PY
)
count=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$blocks")
[[ $count -gt 0 ]] || { echo "readme-examples: no marked examples in README.md" >&2; exit 1; }
for ((i = 0; i < count; i++)); do
  block=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[int(sys.argv[2])])' "$blocks" "$i")
  echo "---- README example $((i + 1)) of $count ----"
  echo "$block"
  bash -euo pipefail -c "$block"
done
echo "readme-examples: $count example(s) ran"
