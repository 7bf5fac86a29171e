//! What lets a client fill a staker's accounts from (pool, owner, owner token account, amount).
//!
//! The program checks each of these accounts by one `constraint =` line against the pool's
//! stored keys or by `derive_address` at a stored bump (docs/accounts.md). Anchor writes IDL
//! `pda` entries only from `seeds = ...` and `relations` only from `has_one`, which would cost
//! the deployed program a `create_program_address` per account (about 1,500 CU) or make the
//! optional lending accounts required. So the IDL states here, once, what those constraints
//! already enforce:
//!
//! - `position`: the PDA `[POSITION_SEED, pool, owner]` (the seeds `open_position` creates it
//!   at);
//! - `stake_mint`, `token_program`, `vault`, `reward_vault`, `lending_market`, `receipt`,
//!   `market_vault`: the pool's field of the same name (`relations: ["pool"]`, which Anchor's
//!   resolver reads from the pool). A pool without a market holds the staking program's id in
//!   the three lending fields (`Pool::NO_MARKET`), which Anchor's client and program read as an
//!   absent optional account.
//!
//! Only accounts beside an existing pool named `pool` get them (in an instruction or in one of
//! its composites), and an account that Anchor already resolves keeps what Anchor wrote, with
//! one correction: Anchor's seed parser stops at the first `()`, so `execute_change`'s receipt
//! seed `pool.load()?.pending.lending_market` would read as `pool`. That receipt is the lending
//! program's PDA `[RECEIPT_SEED, market, pool]`, `market` being the proposed market the
//! instruction checks against the pending change.
use anchor_lang_idl::types::{
    Idl, IdlInstructionAccount, IdlInstructionAccountItem, IdlPda, IdlSeed, IdlSeedAccount,
    IdlSeedConst,
};
use mock_lending::constants::RECEIPT_SEED;
use staking_pool::constants::POSITION_SEED;

/// The pool's fields that name an instruction account of the same name.
const POOL_RELATIONS: [&str; 7] = [
    "stake_mint",
    "token_program",
    "vault",
    "reward_vault",
    "lending_market",
    "receipt",
    "market_vault",
];

fn const_seed(bytes: &[u8]) -> IdlSeed {
    IdlSeed::Const(IdlSeedConst {
        value: bytes.to_vec(),
    })
}

fn account_seed(path: &str) -> IdlSeed {
    IdlSeed::Account(IdlSeedAccount {
        path: path.into(),
        account: None,
    })
}

/// A PDA of the lending program (its `program` entry is the program's id as bytes).
fn lending_pda(seeds: Vec<IdlSeed>) -> IdlPda {
    IdlPda {
        seeds,
        program: Some(const_seed(mock_lending::ID.as_ref())),
    }
}

/// Fills `account` as the module doc says.
fn resolve(account: &mut IdlInstructionAccount) {
    if account.address.is_some() || account.pda.is_some() || !account.relations.is_empty() {
        return;
    }
    match account.name.as_str() {
        "position" => {
            account.pda = Some(IdlPda {
                seeds: vec![
                    const_seed(POSITION_SEED),
                    account_seed("pool"),
                    account_seed("owner"),
                ],
                program: None,
            })
        }
        name if POOL_RELATIONS.contains(&name) => account.relations = vec!["pool".into()],
        _ => {}
    }
}

/// Adds the entries above to every instruction of the staking pool that takes an existing
/// pool: not `initialize_pool`, whose pool Anchor derives from the mint it is created for.
pub fn add_pool_resolution(idl: &mut Idl) {
    for instruction in &mut idl.instructions {
        if instruction.name == "execute_change" {
            correct_execute_change_receipt(&mut instruction.accounts);
        }
        resolve_group(&mut instruction.accounts);
    }
}

/// One group of accounts: an instruction's, or a composite's (whose paths Anchor's resolver
/// reads relative to the composite, as here).
fn resolve_group(items: &mut [IdlInstructionAccountItem]) {
    let single = |name: &str| {
        items.iter().find_map(|item| match item {
            IdlInstructionAccountItem::Single(account) if account.name == name => Some(account),
            _ => None,
        })
    };
    let takes_existing_pool = single("pool").is_some_and(|pool| pool.pda.is_none());
    for item in items.iter_mut() {
        match item {
            IdlInstructionAccountItem::Composite(group) => resolve_group(&mut group.accounts),
            IdlInstructionAccountItem::Single(account) if takes_existing_pool => resolve(account),
            IdlInstructionAccountItem::Single(_) => {}
        }
    }
}

fn correct_execute_change_receipt(items: &mut [IdlInstructionAccountItem]) {
    for item in items {
        if let IdlInstructionAccountItem::Single(account) = item {
            if account.name == "receipt" {
                account.pda = Some(lending_pda(vec![
                    const_seed(RECEIPT_SEED),
                    account_seed("market"),
                    account_seed("pool"),
                ]));
            }
        }
    }
}
