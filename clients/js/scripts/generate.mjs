// Renders the instruction builders, account decoders, types, PDAs and errors of both programs
// from the committed IDL (../../idl) into src/generated/<program>, with Codama for
// @solana/kit. `--check` renders into a scratch folder instead and fails when the committed
// files differ (CI runs it, as it runs idl-gen --check for the IDL itself).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import {
  bottomUpTransformerVisitor,
  createFromRoot,
  instructionAccountNode,
  instructionNode,
  isNode,
} from 'codama';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const idlDir = join(packageDir, '..', '..', 'idl');
const committed = join(packageDir, 'src', 'generated');
// Each program in its own folder: both have a `deposit` and a `withdraw` instruction.
const PROGRAMS = [
  ['staking_pool', 'staking-pool'],
  ['mock_lending', 'mock-lending'],
];

/**
 * Two defaults Codama would get wrong for this program, removed so the caller (or
 * src/staker.ts, from the pool account) supplies the account instead:
 * - `tokenProgram` defaults to SPL Token by its name, but a pool's token program is the one
 *   the pool stores (SPL Token or Token-2022);
 * - a PDA seeded by an optional account (the pool's lending market) cannot be derived when
 *   that account is left out, and Codama refuses to render such a default.
 */
const withoutWrongDefaults = bottomUpTransformerVisitor([
  {
    select: '[instructionNode]',
    transform: (node) => {
      if (!isNode(node, 'instructionNode')) return node;
      const optional = new Set(node.accounts.filter((a) => a.isOptional).map((a) => a.name));
      const seededByOptional = (value) =>
        isNode(value, 'pdaValueNode') &&
        value.seeds.some((seed) => isNode(seed.value, 'accountValueNode') && optional.has(seed.value.name));
      const accounts = node.accounts.map((account) =>
        account.name === 'tokenProgram' || seededByOptional(account.defaultValue)
          ? instructionAccountNode({ ...account, defaultValue: undefined })
          : account,
      );
      return instructionNode({ ...node, accounts });
    },
  },
]);

/** Renders every program into `<generatedDir>/<folder>`, replacing only those folders. */
async function render(generatedDir) {
  for (const [idlName, folder] of PROGRAMS) {
    const idl = JSON.parse(readFileSync(join(idlDir, `${idlName}.json`), 'utf8'));
    const codama = createFromRoot(rootNodeFromAnchor(idl));
    codama.update(withoutWrongDefaults);
    await codama.accept(renderVisitor(join(generatedDir, folder)));
  }
}

function files(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, base) : [relative(base, path)];
  });
}

function read(dir, name) {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
}

if (process.argv.includes('--check')) {
  const scratch = mkdtempSync(join(tmpdir(), 'stakepool-codama-'));
  try {
    await render(scratch);
    const names = new Set([...files(scratch), ...files(committed)]);
    const differ = [...names].filter((name) => read(scratch, name) !== read(committed, name));
    if (differ.length > 0) {
      console.error(
        `error: src/generated is out of date with idl/ (${differ.length} files, first ${differ[0]}); ` +
          'run `npm run generate` in clients/js and commit the result',
      );
      process.exit(1);
    }
    console.log(`src/generated matches idl/ (${names.size} files)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  await render(committed);
  console.log('wrote src/generated from idl/');
}
