//! A deployment built with its own keys: once named, every address and instruction is that
//! deployment's, and it cannot be swapped halfway. Its own test binary: the ids are
//! process-wide.
use anchor_lang::prelude::Pubkey;
use stakepool_sdk::program_ids::{self, Deployment};
use stakepool_sdk::{instructions, program_errors, PoolKeys};

#[test]
fn a_named_deployment_is_used_everywhere_and_only_once() {
    let (creator, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
    let token_program = anchor_spl::token::ID;
    let theirs = Deployment {
        staking_pool: Pubkey::new_unique(),
        lending: Pubkey::new_unique(),
    };
    program_ids::use_deployment(theirs).unwrap();
    assert_eq!(program_ids::staking_pool(), theirs.staking_pool);
    assert_eq!(program_ids::lending(), theirs.lending);

    let keys = PoolKeys::derive(&creator, &mint, 0, &token_program);
    let (expected_pool, _) = Pubkey::find_program_address(
        &[
            staking_pool::constants::POOL_SEED,
            creator.as_ref(),
            mint.as_ref(),
            &0u16.to_le_bytes(),
        ],
        &theirs.staking_pool,
    );
    assert_eq!(keys.pool, expected_pool, "PDAs under their program");
    let owner = Pubkey::new_unique();
    let deposit = instructions::deposit(&keys, &owner, &Pubkey::new_unique(), 1);
    assert_eq!(deposit.program_id, theirs.staking_pool);
    // Their program's error codes are named; the built-in id's are not theirs.
    assert!(program_errors::describe(&theirs.staking_pool, 6000).is_some());
    assert!(program_errors::describe(&staking_pool::ID, 6000).is_none());

    // A second deployment later would mix addresses: refused, naming the one in use.
    assert_eq!(
        program_ids::use_deployment(Deployment::default()),
        Err(theirs)
    );
}
