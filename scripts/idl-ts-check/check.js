// Builds the position instructions from the committed IDL with Anchor's own TypeScript
// client (`@anchor-lang/core`) and compares each one's
// account order with the Rust SDK's (`sdk-account-order.txt`, written by
// crates/stakepool-sdk/tests/account_order.rs). Exit 1 on any difference.
const fs = require("fs");
const path = require("path");
const anchor = require("@anchor-lang/core");
const { Connection, Keypair, PublicKey } = require("@solana/web3.js");
const BN = require("bn.js");

const root = path.join(__dirname, "..", "..");
const idl = JSON.parse(fs.readFileSync(path.join(root, "idl", "staking_pool.json"), "utf8"));
const expected = fs.readFileSync(path.join(__dirname, "sdk-account-order.txt"), "utf8");

// The same keys the Rust test uses: 32 bytes of one value each; the position is its PDA.
const key = (byte) => new PublicKey(Buffer.alloc(32, byte));
const keys = {
  owner: key(1), ownerToken: key(2), pool: key(3), stakeMint: key(4), vault: key(5),
  rewardVault: key(6), market: key(7), marketVault: key(8), receipt: key(9), toReceipt: key(10),
  tokenProgram: new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"),
  lendingProgram: new PublicKey(JSON.parse(
    fs.readFileSync(path.join(root, "idl", "mock_lending.json"), "utf8")).address),
};
const programId = new PublicKey(idl.address);
[keys.position] = PublicKey.findProgramAddressSync(
  [Buffer.from("position"), keys.pool.toBuffer(), keys.owner.toBuffer()], programId);
const names = new Map(Object.entries({
  owner: keys.owner, owner_token: keys.ownerToken, pool: keys.pool, position: keys.position,
  stake_mint: keys.stakeMint, token_program: keys.tokenProgram, vault: keys.vault,
  reward_vault: keys.rewardVault, market: keys.market, market_vault: keys.marketVault,
  receipt: keys.receipt, lending_program: keys.lendingProgram, to_receipt: keys.toReceipt,
}).map(([name, k]) => [k.toBase58(), name]));

const provider = new anchor.AnchorProvider(
  new Connection("http://127.0.0.1:1"), new anchor.Wallet(Keypair.generate()), {});
const program = new anchor.Program(idl, provider);
// Every position instruction starts with the same accounts (the program's
// `owner_position_accounts!`), flat in the IDL.
const owned = { pool: keys.pool, position: keys.position, owner: keys.owner };
const stake = { ...owned, stakeMint: keys.stakeMint, tokenProgram: keys.tokenProgram };
const market = { market: keys.market, receipt: keys.receipt, marketVault: keys.marketVault };
const lending = { ...market, rewardVault: keys.rewardVault, lendingProgram: keys.lendingProgram };
const one = new BN(1);
const builders = [
  ["deposit", program.methods.deposit(one).accountsStrict({ ...stake, vault: keys.vault, ownerToken: keys.ownerToken, ...market })],
  ["withdraw", program.methods.withdraw(one).accountsStrict({ ...stake, vault: keys.vault, ownerToken: keys.ownerToken, ...lending })],
  ["withdraw_in_kind", program.methods.withdrawInKind(one).accountsStrict({ ...stake, vault: keys.vault, ownerToken: keys.ownerToken, toReceipt: keys.toReceipt, lendingProgram: keys.lendingProgram, ...market })],
  ["claim", program.methods.claim().accountsStrict({ ...stake, rewardVault: keys.rewardVault, ownerToken: keys.ownerToken })],
  ["compound", program.methods.compound().accountsStrict({ ...stake, vault: keys.vault, rewardVault: keys.rewardVault, ...market })],
  ["request_unbond", program.methods.requestUnbond(one).accountsStrict({ ...owned })],
  ["close_position", program.methods.closePosition().accountsStrict({ ...owned, rentTo: keys.owner })],
];

(async () => {
  let text = "";
  for (const [name, builder] of builders) {
    const ix = await builder.instruction();
    const metas = ix.keys.map((m) =>
      (names.get(m.pubkey.toBase58()) || "?") + (m.isWritable ? "(w)" : "") + (m.isSigner ? "(s)" : ""));
    text += `${name}: ${metas.join(" ")}\n`;
  }
  if (text !== expected) {
    console.error("Anchor's TypeScript client builds a different account order from the IDL:\n" + text +
      "\nthe Rust SDK builds:\n" + expected);
    process.exit(1);
  }
  console.log(`the IDL drives Anchor's TypeScript client: ${builders.length} instructions, account order as the SDK's`);
})().catch((e) => { console.error(e); process.exit(1); });
