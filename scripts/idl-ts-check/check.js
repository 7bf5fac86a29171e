// Drives Anchor's own TypeScript client (`@anchor-lang/core`) with the committed IDL: it must
// build every position instruction, and decode the zero-copy accounts (`Pool`, `Position`) at
// the sizes and offsets the program asserts at compile time (programs/staking-pool/src/state).
// Exit 1 on any difference.
const fs = require("fs");
const path = require("path");
const anchor = require("@anchor-lang/core");
const { Connection, Keypair, PublicKey } = require("@solana/web3.js");
const BN = require("bn.js");

const root = path.join(__dirname, "..", "..");
const idl = JSON.parse(fs.readFileSync(path.join(root, "idl", "staking_pool.json"), "utf8"));
const failures = [];
const expect = (what, got, want) => {
  if (String(got) !== String(want)) failures.push(`${what}: got ${got}, want ${want}`);
};

const key = (byte) => new PublicKey(Buffer.alloc(32, byte));
const provider = new anchor.AnchorProvider(
  new Connection("http://127.0.0.1:1"), new anchor.Wallet(Keypair.generate()), {});
const program = new anchor.Program(idl, provider);

// Every position instruction, every account named.
const owned = { pool: key(3), position: key(11), owner: key(1) };
const stake = { ...owned, stakeMint: key(4), tokenProgram: key(12) };
const market = { lendingMarket: key(7), receipt: key(9), marketVault: key(8) };
const lending = { ...market, rewardVault: key(6), lendingProgram: key(13) };
const one = new BN(1);
const builders = [
  ["deposit", program.methods.deposit(one).accountsStrict({ ...stake, vault: key(5), ownerToken: key(2), ...market })],
  ["withdraw", program.methods.withdraw(one).accountsStrict({ ...stake, vault: key(5), ownerToken: key(2), ...lending })],
  ["withdrawInKind", program.methods.withdrawInKind(one).accountsStrict({ ...stake, vault: key(5), ownerToken: key(2), toReceipt: key(10), lendingProgram: key(13), ...market })],
  ["claim", program.methods.claim().accountsStrict({ ...stake, rewardVault: key(6), ownerToken: key(2) })],
  ["compound", program.methods.compound().accountsStrict({ ...stake, vault: key(5), rewardVault: key(6), ...market })],
  ["requestUnbond", program.methods.requestUnbond(one).accountsStrict({ ...owned })],
  ["closePosition", program.methods.closePosition().accountsStrict({ ...owned, rentTo: key(1) })],
];

// A pool and a position with known values at the program's offsets (8 bytes of discriminator
// first): the decoded fields must read them back.
const account = (name, size) => {
  const data = Buffer.alloc(size);
  Buffer.from(idl.accounts.find((a) => a.name === name).discriminator).copy(data, 0);
  return data;
};
const pool = account("Pool", 8 + 720);
key(21).toBuffer().copy(pool, 8 + 32);          // admin
pool.writeBigUInt64LE(7n, 8 + 256);              // index_checkpoint, low half
pool.writeBigUInt64LE(1n, 8 + 256 + 8);          // index_checkpoint, high half: 2^64 + 7
pool.writeBigUInt64LE(123456789n, 8 + 304 + 16); // total_owed.frac
pool.writeUInt16LE(2500, 8 + 432 + 32);          // limits.reserve_bps
pool.writeUInt32LE(1234, 8 + 640);               // apr_bps
pool.writeUInt16LE(9, 8 + 644);                  // pool_id
const position = account("Position", 8 + 176);
key(22).toBuffer().copy(position, 8);            // owner
position.writeBigUInt64LE(55n, 8 + 80 + 16);     // owed.frac
position.writeUInt8(254, 8 + 136);               // bump

(async () => {
  for (const [name, builder] of builders) {
    const ix = await builder.instruction();
    const snake = name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
    expect(`${name}: accounts`, ix.keys.length, idl.instructions.find((i) => i.name === snake).accounts.length);
  }
  const coder = program.coder.accounts;
  expect("Pool size", coder.size("pool"), pool.length);
  expect("Position size", coder.size("position"), position.length);
  const p = coder.decode("pool", pool);
  const bytesToBig = (b) => Buffer.from(b).reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);
  expect("Pool.admin", p.admin.toBase58(), key(21).toBase58());
  expect("Pool.index_checkpoint", bytesToBig(p.indexCheckpoint.leBytes), (1n << 64n) + 7n);
  expect("Pool.total_owed.frac", p.totalOwed.frac.toString(), "123456789");
  expect("Pool.limits.reserve_bps", p.limits.reserveBps, 2500);
  expect("Pool.apr_bps", p.aprBps, 1234);
  expect("Pool.pool_id", p.poolId, 9);
  const q = coder.decode("position", position);
  expect("Position.owner", q.owner.toBase58(), key(22).toBase58());
  expect("Position.owed.frac", q.owed.frac.toString(), "55");
  expect("Position.bump", q.bump, 254);
  if (failures.length > 0) {
    console.error("Anchor's TypeScript client reads the IDL differently from the program:\n" + failures.join("\n"));
    process.exit(1);
  }
  console.log(`the IDL drives Anchor's TypeScript client: ${builders.length} position instructions built, Pool and Position decoded at the program's offsets`);
})().catch((e) => { console.error(e); process.exit(1); });
