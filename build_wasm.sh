#!/usr/bin/env bash
# Builds the three modules into bin/ from the one AssemblyScript core:
#   bin/event-pusher.wasm         WASI 0.2 command component, transport wasi:http
#                                 (plus its jco transpilation in build/component/ for the Node runner)
#   bin/main.wasm                 WASI preview1 module, transport Bacalhau's wasi:http/requests.http_request
#   bin/event-pusher-nohttp.wasm  WASI preview1 module without network imports (simulation)
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p bin build/core

asc=node_modules/.bin/asc

"$asc" assembly/entries/component.ts --config asconfig.json --target component
node host/build/componentize.mjs build/core/event-pusher-core.wasm bin/event-pusher.wasm build/component

"$asc" assembly/entries/bacalhau.ts --config asconfig.json --target bacalhau
"$asc" assembly/entries/nohttp.ts --config asconfig.json --target nohttp

for module in bin/event-pusher.wasm bin/main.wasm bin/event-pusher-nohttp.wasm; do
  echo "build_wasm.sh: $module $(wc -c < "$module") bytes" >&2
done
