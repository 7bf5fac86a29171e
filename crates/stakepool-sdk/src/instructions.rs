//! Instruction builders for every staking pool instruction. Each takes the keys it needs and
//! returns a ready `Instruction`; account order and flags come from Anchor's generated
//! `accounts::*` structs, so they cannot drift from the program.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use staking_pool::state::{Change, ChangeKind, Pool, PoolLimits};
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
    /// The pool's lending market, once the admin has set one.
    pub lending: Option<LendingKeys>,
}

/// A pool's lending market and its receipt there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LendingKeys {
    pub market: Pubkey,
    pub market_vault: Pubkey,
    pub receipt: Pubkey,
}

impl LendingKeys {
    pub fn new(market: &Pubkey, pool: &Pubkey) -> Self {
        Self {
            market: *market,
            market_vault: pda::liquidity_vault(market).0,
            receipt: pda::receipt(market, pool).0,
        }
    }
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
            lending: None,
        }
    }

    /// The same pool, lending to `market`.
    pub fn with_lending_market(self, market: &Pubkey) -> Self {
        Self {
            lending: Some(LendingKeys::new(market, &self.pool)),
            ..self
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
            lending: pool.has_lending_market().then_some(LendingKeys {
                market: pool.lending_market,
                market_vault: pool.market_vault,
                receipt: pool.receipt,
            }),
        }
    }

    /// The lending keys, for instructions that need them.
    ///
    /// # Panics
    /// If the pool has no lending market: callers check `lending` first.
    pub fn lending(&self) -> LendingKeys {
        self.lending.expect("the pool has no lending market")
    }

    /// The keys an instruction that moves principal (deposit, compound, withdraw) is sent with,
    /// given the pool as it reads now: the lending accounts only while principal is lent, when
    /// the program needs them to read the market for a loss. Without them the instruction is
    /// cheaper; if the pool lends before it lands, the program refuses it with
    /// `LendingAccountsMissing` and changes nothing.
    pub fn moving_principal(&self, pool: &Pool) -> Self {
        Self {
            lending: self.lending.filter(|_| pool.lent_principal > 0),
            ..*self
        }
    }

    pub fn position(&self, owner: &Pubkey) -> Pubkey {
        pda::position(&self.pool, owner).0
    }
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: crate::program_ids::staking_pool(),
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

/// Deposits `amount`. When the keys carry the pool's lending market, its accounts are passed,
/// as the program requires while principal is lent (it reads the market for a loss first);
/// `PoolKeys::moving_principal` leaves them out when nothing is lent.
pub fn deposit(keys: &PoolKeys, owner: &Pubkey, owner_token: &Pubkey, amount: u64) -> Instruction {
    let lending = keys.lending;
    build(
        accounts::Deposit {
            pool: keys.pool,
            position: keys.position(owner),
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
            vault: keys.vault,
            owner_token: *owner_token,
            lending_market: lending.map(|l| l.market),
            receipt: lending.map(|l| l.receipt),
            market_vault: lending.map(|l| l.market_vault),
        },
        instruction::Deposit { amount },
    )
}

/// Withdraws principal. When the keys carry the pool's lending market, its accounts are passed,
/// so a loss is recognised first and a shortfall of idle principal is recalled in the same
/// instruction.
pub fn withdraw(keys: &PoolKeys, owner: &Pubkey, owner_token: &Pubkey, amount: u64) -> Instruction {
    let lending = keys.lending;
    build(
        accounts::Withdraw {
            pool: keys.pool,
            position: keys.position(owner),
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
            vault: keys.vault,
            owner_token: *owner_token,
            reward_vault: lending.map(|_| keys.reward_vault),
            lending_program: lending.map(|_| crate::program_ids::lending()),
            lending_market: lending.map(|l| l.market),
            receipt: lending.map(|l| l.receipt),
            market_vault: lending.map(|l| l.market_vault),
        },
        instruction::Withdraw { amount },
    )
}

/// The withdrawal a client sends, given the pool as it reads now: without the lending accounts
/// (about a third cheaper in compute units) when nothing is lent, with them otherwise
/// (`PoolKeys::moving_principal`). If the pool lends before it lands, the program refuses it
/// with `LendingAccountsMissing`, changing nothing, and the client sends `withdraw` instead.
pub fn withdraw_as_client(
    pool: &Pool,
    keys: &PoolKeys,
    owner: &Pubkey,
    owner_token: &Pubkey,
    amount: u64,
) -> Instruction {
    withdraw(&keys.moving_principal(pool), owner, owner_token, amount)
}

/// Withdraws `amount` of principal in kind: the lent part as receipt shares of the pool's
/// market into `to_receipt` (a receipt of that market, `pda::receipt(market, owner)` for the
/// owner's own, opened with `lending_instructions::open_receipt`), the rest in tokens.
///
/// # Panics
/// If the pool has no lending market (there is nothing to take in kind).
pub fn withdraw_in_kind(
    keys: &PoolKeys,
    owner: &Pubkey,
    owner_token: &Pubkey,
    to_receipt: &Pubkey,
    amount: u64,
) -> Instruction {
    let lending = keys.lending();
    build(
        accounts::WithdrawInKind {
            pool: keys.pool,
            position: keys.position(owner),
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
            vault: keys.vault,
            owner_token: *owner_token,
            to_receipt: *to_receipt,
            lending_program: crate::program_ids::lending(),
            lending_market: Some(lending.market),
            receipt: Some(lending.receipt),
            market_vault: Some(lending.market_vault),
        },
        instruction::WithdrawInKind { amount },
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
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
            reward_vault: keys.reward_vault,
            owner_token: *owner_token,
        },
        instruction::Claim {},
    )
}

/// Moves owed rewards into principal. Lending accounts as for `deposit`.
pub fn compound(keys: &PoolKeys, owner: &Pubkey) -> Instruction {
    let lending = keys.lending;
    build(
        accounts::Compound {
            pool: keys.pool,
            position: keys.position(owner),
            owner: *owner,
            stake_mint: keys.stake_mint,
            token_program: keys.token_program,
            vault: keys.vault,
            reward_vault: keys.reward_vault,
            lending_market: lending.map(|l| l.market),
            receipt: lending.map(|l| l.receipt),
            market_vault: lending.map(|l| l.market_vault),
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
            // The rent goes back to the owner's wallet.
            rent_to: *owner,
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

fn manage_lending(keys: &PoolKeys) -> accounts::ManageLending {
    let lending = keys.lending();
    accounts::ManageLending {
        pool: keys.pool,
        vault: keys.vault,
        reward_vault: keys.reward_vault,
        lending_market: lending.market,
        receipt: lending.receipt,
        market_vault: lending.market_vault,
        stake_mint: keys.stake_mint,
        token_program: keys.token_program,
        lending_program: crate::program_ids::lending(),
    }
}

/// Crank: lend idle principal above the reserve, or recall what is missing below it.
pub fn rebalance(keys: &PoolKeys) -> Instruction {
    build(manage_lending(keys), instruction::Rebalance {})
}

/// Crank: recognise a loss the market shows, writing it off every position pro rata.
pub fn recognise_loss(keys: &PoolKeys) -> Instruction {
    build(manage_lending(keys), instruction::RecogniseLoss {})
}

/// Crank: sweep lending interest into the reward vault.
pub fn harvest(keys: &PoolKeys) -> Instruction {
    build(manage_lending(keys), instruction::Harvest {})
}

pub fn recall_all(keys: &PoolKeys, admin: &Pubkey) -> Instruction {
    build(
        accounts::RecallAll {
            lending: manage_lending(keys),
            admin: *admin,
        },
        instruction::RecallAll {},
    )
}

pub fn set_lending_market(keys: &PoolKeys, admin: &Pubkey, market: &Pubkey) -> Instruction {
    build(
        accounts::SetLendingMarket {
            pool: keys.pool,
            admin: *admin,
            market: *market,
            receipt: pda::receipt(market, &keys.pool).0,
            lending_program: crate::program_ids::lending(),
            system_program: system_program::ID,
        },
        instruction::SetLendingMarket {},
    )
}

/// Announces a change against depositors; executable by anyone after the pool's notice period.
/// A new lending market passes the market itself, which must exist when it is proposed.
pub fn propose_change(keys: &PoolKeys, admin: &Pubkey, change: Change) -> Instruction {
    let market = match change {
        Change::LendingMarket(market) => Some(market),
        _ => None,
    };
    build(
        accounts::ProposeChange {
            pool: keys.pool,
            admin: *admin,
            market,
        },
        instruction::ProposeChange { change },
    )
}

/// Withdraws the pending proposal of `kind`.
pub fn cancel_change(keys: &PoolKeys, admin: &Pubkey, kind: ChangeKind) -> Instruction {
    build(admin_only(keys, admin), instruction::CancelChange { kind })
}

/// Executes the pending proposal of `kind` once its time has come; anyone may send it, `payer`
/// signs (and funds the pool's receipt when a new lending market needs one). A lending market
/// change names the proposed `market`; the other kinds pass `None`.
pub fn execute_change(
    keys: &PoolKeys,
    payer: &Pubkey,
    kind: ChangeKind,
    market: Option<&Pubkey>,
) -> Instruction {
    build(
        accounts::ExecuteChange {
            pool: keys.pool,
            payer: *payer,
            market: market.copied(),
            receipt: market.map(|m| pda::receipt(m, &keys.pool).0),
            lending_program: market.map(|_| crate::program_ids::lending()),
            system_program: market.map(|_| system_program::ID),
        },
        instruction::ExecuteChange { kind },
    )
}
