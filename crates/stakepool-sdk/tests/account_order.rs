//! The account order of the position instructions (nested account groups since the
//! `OwnerPosition`/`PositionTokens` composites), as the SDK builds them, written to
//! `scripts/idl-ts-check/sdk-account-order.txt`. The TypeScript check
//! (`scripts/idl-ts-check/check.js`) builds the same instructions from the committed IDL with
//! Anchor's own client and compares with that file, so the IDL, the program and the SDK agree.
//! `STAKEPOOL_WRITE_ORDER=1` rewrites the file.
use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use solana_instruction::Instruction;
use stakepool_sdk::instructions as ix;
use stakepool_sdk::{LendingKeys, PoolKeys};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../scripts/idl-ts-check/sdk-account-order.txt"
);

fn key(byte: u8) -> Pubkey {
    Pubkey::new_from_array([byte; 32])
}

#[test]
fn position_instructions_list_their_accounts_in_the_committed_order() {
    let owner = key(1);
    let owner_token = key(2);
    let keys = PoolKeys {
        pool: key(3),
        stake_mint: key(4),
        token_program: anchor_spl::token::ID,
        vault: key(5),
        reward_vault: key(6),
        lending: Some(LendingKeys {
            market: key(7),
            market_vault: key(8),
            receipt: key(9),
        }),
    };
    let names: HashMap<Pubkey, &str> = [
        (owner, "owner"),
        (owner_token, "owner_token"),
        (keys.pool, "pool"),
        (keys.position(&owner), "position"),
        (keys.stake_mint, "stake_mint"),
        (keys.token_program, "token_program"),
        (keys.vault, "vault"),
        (keys.reward_vault, "reward_vault"),
        (key(7), "market"),
        (key(8), "market_vault"),
        (key(9), "receipt"),
        (mock_lending::ID, "lending_program"),
    ]
    .into_iter()
    .collect();
    let line = |name: &str, instruction: Instruction| {
        let metas: Vec<String> = instruction
            .accounts
            .iter()
            .map(|m| {
                format!(
                    "{}{}{}",
                    names.get(&m.pubkey).unwrap_or(&"?"),
                    if m.is_writable { "(w)" } else { "" },
                    if m.is_signer { "(s)" } else { "" }
                )
            })
            .collect();
        format!("{name}: {}\n", metas.join(" "))
    };
    let text = [
        line("deposit", ix::deposit(&keys, &owner, &owner_token, 1)),
        line("withdraw", ix::withdraw(&keys, &owner, &owner_token, 1)),
        line("claim", ix::claim(&keys, &owner, &owner_token)),
        line("compound", ix::compound(&keys, &owner)),
        line("request_unbond", ix::request_unbond(&keys, &owner, 1)),
        line("close_position", ix::close_position(&keys, &owner)),
    ]
    .concat();
    if std::env::var("STAKEPOOL_WRITE_ORDER").is_ok() {
        std::fs::write(FILE, &text).unwrap();
    }
    let committed = std::fs::read_to_string(FILE).unwrap_or_default();
    assert_eq!(
        committed, text,
        "{FILE} is out of date; run with STAKEPOOL_WRITE_ORDER=1 to rewrite it"
    );
}
