#!/usr/bin/env bash
# README's "Deploy to devnet", executed, with solana-test-validator standing in for devnet:
# own program ids (keys sync), the SBF build, `solana program deploy` of both programs under
# those ids, the migrations with migrations/devnet.toml pointed at the local URL, a deposit,
# claim and withdraw through `stakepool`, then an upgrade (the rebuilt program deployed to
# the same id: the pool's state survives and it keeps working) and `solana program show`
# naming the upgrade authority. Every command it runs is one README shows, with -C/-u/-k
# pointing at this run's own config, validator and wallet.
#
# New ids rewrite the sources, so it works in a copy of the checkout kept under
# target/e2e-deploy/ (its builds are reused by the next run). The validator has its own
# ledger and ports and is stopped whatever happens.
# Exit status: 0 passed; 3 skipped (what is missing is named); other = failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

skip() {
  echo "deploy-and-upgrade SKIPPED: $*"
  exit 3
}
for tool in solana solana-keygen solana-test-validator; do
  command -v "$tool" >/dev/null 2>&1 \
    || skip "$tool is not on PATH (README: \"Run on a local validator\", step 1, says how to get it)"
done
[ -x .sbf/tools/bin/sbpf-linker ] && [ -d .sbf/llvm-venv ] \
  || skip "the SBF toolchain is not set up (bash scripts/build-sbf.sh sets it up)"

# The checkout's files as they are, in place of the previous run's copy (its builds are kept).
work="$root/target/e2e-deploy/checkout"
bash scripts/sbf/copy-checkout.sh "$work"
# A newcomer's ids: fresh keypairs every run.
rm -f "$work"/target/deploy/*-keypair.json
cd "$work"

run_dir=$(mktemp -d /tmp/stakepool-deploy.XXXXXX)
validator_pid=
stop() {
  if [ -n "$validator_pid" ]; then
    kill "$validator_pid" 2>/dev/null || true
    wait "$validator_pid" 2>/dev/null || true
  fi
  rm -rf "$run_dir"
}
trap stop EXIT

step() { printf '\n$ %s\n' "$*"; "$@"; }
fail() { echo "deploy-and-upgrade FAILED: $*"; exit 1; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
stakepool() { cargo run -q --locked --bin stakepool -- -C "$config" "$@"; }
staked_raw() { stakepool show position --pool "$pool" --output json | json 'd["staked_raw"]'; }
deployed_slot() { solana -C "$config" program show "$1" | sed -n 's/^Last Deployed In Slot: //p'; }

# 1. Own program ids, then the build that compiles them in.
step cargo run -q --locked --bin keys -- sync
step bash scripts/build-sbf.sh
stake_id=$(solana-keygen pubkey target/deploy/staking_pool-keypair.json)
lend_id=$(solana-keygen pubkey target/deploy/mock_lending-keypair.json)
grep -q "declare_id!(\"$stake_id\")" programs/staking-pool/src/lib.rs || fail "keys sync did not write $stake_id"

# 2. A wallet and a cluster (the validator with nothing preloaded: deploying is the test).
rpc_port=$(free_port)
url="http://127.0.0.1:$rpc_port"
config="$run_dir/config.yml"
step solana-keygen new --no-bip39-passphrase --silent --outfile "$run_dir/id.json"
step solana config set -C "$config" --url "$url" --keypair "$run_dir/id.json" --commitment confirmed
wallet=$(solana-keygen pubkey "$run_dir/id.json")
solana-test-validator --reset --ledger "$run_dir/ledger" --bind-address 127.0.0.1 \
  --rpc-port "$rpc_port" --faucet-port "$(free_port)" --quiet > "$run_dir/validator.out" 2>&1 &
validator_pid=$!
# Programs loaded at genesis (SPL Token) are refused for the first slots: wait them out.
for _ in $(seq 1 360); do
  slot=$(solana -C "$config" slot 2>/dev/null || echo 0)
  [ "$slot" -ge 8 ] 2>/dev/null && break
  kill -0 "$validator_pid" 2>/dev/null || { cat "$run_dir/validator.out"; fail "the validator exited"; }
  sleep 0.25
done
[ "$slot" -ge 8 ] 2>/dev/null || fail "the validator is not ready after 90 s"
step solana -C "$config" airdrop 100

# 3. Deploy both programs under their ids.
step solana -C "$config" program deploy target/deploy/mock_lending.so \
  --program-id target/deploy/mock_lending-keypair.json
step solana -C "$config" program deploy target/deploy/staking_pool.so \
  --program-id target/deploy/staking_pool-keypair.json
shown=$(solana -C "$config" program show "$stake_id")
echo "$shown"
echo "$shown" | grep -q "Authority: $wallet" || fail "solana program show does not name $wallet as the upgrade authority"
first_slot=$(deployed_slot "$stake_id")
[ -n "$first_slot" ] || fail "solana program show printed no \"Last Deployed In Slot\""

# 4. Pools from devnet.toml, pointed at this cluster and wallet; a second run has nothing to do.
step cargo run -q --locked -p stakepool-migrations -- migrations/devnet.toml -u "$url" -k "$run_dir/id.json"
again=$(cargo run -q --locked -p stakepool-migrations -- migrations/devnet.toml -u "$url" -k "$run_dir/id.json")
echo "$again" | grep -q "Nothing to do" || fail "a second migrations run still had work: $again"

# 5. Stake in the lending pool (devnet-demo: the one whose APR is 800), through stakepool.
pool=$(stakepool pools --admin "$wallet" --output json \
  | json '[p["pool"] for p in d["pools"] if p["apr_bps"] == 800][0]')
step stakepool deposit --pool "$pool" 100
step stakepool rebalance --pool "$pool"
step stakepool claim --pool "$pool"
# devnet-demo unbonds for a day. A shorter unbonding period is for depositors, so the admin's
# change applies at once (no notice), and the principal can leave now.
step stakepool set-params --pool "$pool" --unbonding-period 0
step stakepool withdraw --pool "$pool" 40
staked=$(staked_raw)
[ "$staked" = "60000000" ] || fail "after depositing 100 and withdrawing 40 the position holds $staked base units"

# 6. Upgrade: rebuild, deploy to the same id; the state survives and the pool keeps working.
# The rebuild of an unchanged commit gives the same bytes (the build is reproducible), so
# this exercises the upgrade itself (a new deployment slot, the same program data account,
# the same authority), not a change of code.
step bash scripts/build-sbf.sh
step solana -C "$config" program deploy target/deploy/staking_pool.so \
  --program-id target/deploy/staking_pool-keypair.json
shown=$(solana -C "$config" program show "$stake_id")
echo "$shown"
upgraded_slot=$(deployed_slot "$stake_id")
[ -n "$upgraded_slot" ] && [ "$upgraded_slot" -gt "$first_slot" ] || fail "the upgrade did not land (deployed in slot $first_slot, then $upgraded_slot)"
echo "$shown" | grep -q "Authority: $wallet" || fail "the upgrade authority changed"
staked=$(staked_raw)
[ "$staked" = "60000000" ] || fail "the position lost its state in the upgrade: $staked"
step stakepool withdraw --pool "$pool" ALL
step stakepool deposit --pool "$pool" 10
staked=$(staked_raw)
[ "$staked" = "10000000" ] || fail "after the upgrade, withdraw ALL and a deposit of 10 left $staked"

echo
echo "deploy-and-upgrade passed: staking_pool $stake_id and mock_lending $lend_id deployed, used, upgraded in slot $upgraded_slot"
