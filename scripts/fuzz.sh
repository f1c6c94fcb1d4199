#!/usr/bin/env bash
# A long run of the random call sequences of both pallets (the property test in
# pallets/smart-contract/src/tests/fuzz.rs; the test command runs 1,000 sequences of 50 steps).
#
#   scripts/fuzz.sh                    # 100,000 sequences of 50 steps, a seed from the clock
#   scripts/fuzz.sh 20000 1234         # 20,000 sequences with seed 1234
#
# FUZZ_STEPS sets the steps per sequence. It prints the seed, so a failure can be replayed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
"$here/setup.sh"
cd "$GRIDCHAIN_ROOT"

export FUZZ_SEQUENCES="${1:-100000}"
export FUZZ_SEED="${2:-$(date +%s)}"
echo "== $FUZZ_SEQUENCES sequences of ${FUZZ_STEPS:-50} steps, seed $FUZZ_SEED"
cargo test --locked --release --workspace --lib random_call_sequences -- --nocapture
