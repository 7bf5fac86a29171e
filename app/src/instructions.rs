//! Instruction builders for every staking pool instruction. Each takes the keys it needs and
//! returns a ready `Instruction`; account order and flags come from Anchor's generated
//! `accounts::*` structs, so they cannot drift from the program.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use staking_pool::state::{Pool, PoolLimits};
use staking_pool::{accounts, instruction};

use crate::pda;

/// The addresses every pool instruction refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolKeys {
    pub pool: Pubkey,
    pub stake_mint: Pubkey,
    pub token_program: Pubkey,
    pub vault: Pubkey,
    pub reward_vault: Pubkey,
}

impl PoolKeys {
    /// Keys of the pool `creator` makes for `stake_mint` under `pool_id`.
    pub fn derive(
        creator: &Pubkey,
        stake_mint: &Pubkey,
        pool_id: u16,
        token_program: &Pubkey,
    ) -> Self {
        let pool = pda::pool(creator, stake_mint, pool_id).0;
        Self {
            pool,
            stake_mint: *stake_mint,
            token_program: *token_program,
            vault: pda::vault(&pool).0,
            reward_vault: pda::reward_vault(&pool).0,
        }
    }

    /// Keys as recorded in a decoded pool account.
    pub fn from_pool(address: Pubkey, pool: &Pool) -> Self {
        Self {
            pool: address,
            stake_mint: pool.stake_mint,
            token_program: pool.token_program,
            vault: pool.vault,
            reward_vault: pool.reward_vault,
        }
    }

    pub fn position(&self, owner: &Pubkey) -> Pubkey {
        pda::position(&self.pool, owner).0
    }
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: staking_pool::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn initialize_pool(
    creator: &Pubkey,
    keys: &PoolKeys,
    pool_id: u16,
    apr_bps: u32,
    limits: PoolLimits,
) -> Instruction {
    build(
        accounts::InitializePool {
            creator: *creator,
            stake_mint: keys.stake_mint,
            pool: keys.pool,
            vault: keys.vault,
            reward_vault: keys.reward_vault,
            token_program: keys.token_program,
            system_program: system_program::ID,
        },
        instruction::InitializePool {
            pool_id,
            apr_bps,
            limits,
        },
    )
}

pub fn fund_rewards(
    keys: &PoolKeys,
    funder: &Pubkey,
    funder_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::FundRewards {
            pool: keys.pool,
            reward_vault: keys.reward_vault,
            funder_token: *funder_token,
            funder: *funder,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
        },
        instruction::FundRewards { amount },
    )
}

pub fn open_position(keys: &PoolKeys, owner: &Pubkey) -> Instruction {
    build(
        accounts::OpenPosition {
            pool: keys.pool,
            position: keys.position(owner),
            owner: *owner,
            system_program: system_program::ID,
        },
        instruction::OpenPosition {},
    )
}

pub fn deposit(keys: &PoolKeys, owner: &Pubkey, owner_token: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::Deposit {
            pool: keys.pool,
            position: keys.position(owner),
            vault: keys.vault,
            owner_token: *owner_token,
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
        },
        instruction::Deposit { amount },
    )
}

pub fn withdraw(keys: &PoolKeys, owner: &Pubkey, owner_token: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::Withdraw {
            pool: keys.pool,
            position: keys.position(owner),
            vault: keys.vault,
            owner_token: *owner_token,
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
        },
        instruction::Withdraw { amount },
    )
}

pub fn request_unbond(keys: &PoolKeys, owner: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::RequestUnbond {
            pool: keys.pool,
            position: keys.position(owner),
            owner: *owner,
        },
        instruction::RequestUnbond { amount },
    )
}

pub fn claim(keys: &PoolKeys, owner: &Pubkey, owner_token: &Pubkey) -> Instruction {
    build(
        accounts::Claim {
            pool: keys.pool,
            position: keys.position(owner),
            reward_vault: keys.reward_vault,
            owner_token: *owner_token,
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
        },
        instruction::Claim {},
    )
}

pub fn compound(keys: &PoolKeys, owner: &Pubkey) -> Instruction {
    build(
        accounts::Compound {
            pool: keys.pool,
            position: keys.position(owner),
            vault: keys.vault,
            reward_vault: keys.reward_vault,
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
        },
        instruction::Compound {},
    )
}

pub fn close_position(keys: &PoolKeys, owner: &Pubkey) -> Instruction {
    build(
        accounts::ClosePosition {
            pool: keys.pool,
            position: keys.position(owner),
            owner: *owner,
        },
        instruction::ClosePosition {},
    )
}

fn admin_only(keys: &PoolKeys, admin: &Pubkey) -> accounts::AdminOnly {
    accounts::AdminOnly {
        pool: keys.pool,
        admin: *admin,
    }
}

pub fn set_apr(keys: &PoolKeys, admin: &Pubkey, apr_bps: u32) -> Instruction {
    build(admin_only(keys, admin), instruction::SetApr { apr_bps })
}

pub fn set_params(keys: &PoolKeys, admin: &Pubkey, limits: PoolLimits) -> Instruction {
    build(admin_only(keys, admin), instruction::SetParams { limits })
}

pub fn pause(keys: &PoolKeys, admin: &Pubkey) -> Instruction {
    build(admin_only(keys, admin), instruction::Pause {})
}

pub fn unpause(keys: &PoolKeys, admin: &Pubkey) -> Instruction {
    build(admin_only(keys, admin), instruction::Unpause {})
}

pub fn transfer_admin(keys: &PoolKeys, admin: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(
        admin_only(keys, admin),
        instruction::TransferAdmin {
            new_admin: *new_admin,
        },
    )
}

pub fn accept_admin(keys: &PoolKeys, new_admin: &Pubkey) -> Instruction {
    build(
        accounts::AcceptAdmin {
            pool: keys.pool,
            new_admin: *new_admin,
        },
        instruction::AcceptAdmin {},
    )
}
