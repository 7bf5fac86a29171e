//! A pool set up in the VM entirely through real instructions (mint, token accounts, pool,
//! reward funding, mock market), with every instruction built by `stakepool-sdk`, the same
//! builders the client and the native suite use.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountDeserialize;
use mock_lending::state::{Market, Receipt};
use solana_account::Account;
use stakepool_sdk::{accounts, instructions, lending_instructions, token_setup};
use stakepool_sdk::{MarketKeys, PoolKeys};
use staking_pool::state::{Pool, PoolLimits, Position};

use crate::svm::{Outcome, Svm};

pub const DECIMALS: u8 = 6;
/// One whole token in base units.
pub const TOKEN: u64 = 1_000_000;
const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;

pub struct User {
    pub owner: Pubkey,
    pub token: Pubkey,
}

pub struct World {
    pub svm: Svm,
    pub payer: Pubkey,
    /// Pool creator and admin, mint authority and market authority.
    pub admin: Pubkey,
    pub admin_token: Pubkey,
    pub mint: Pubkey,
    pub keys: PoolKeys,
    pub market: MarketKeys,
}

/// Limits the scenarios start from: no reserve floor surprises, no cap, no unbonding.
pub fn open_limits() -> PoolLimits {
    PoolLimits {
        reserve_bps: 2_000,
        min_deposit: 1,
        deposit_cap: u64::MAX,
        unbonding_period: 0,
        notice_period: 0,
    }
}

impl World {
    /// A mint, the admin's token account holding 10^9 tokens, and a pool at `apr_bps`.
    ///
    /// # Panics
    /// When the `.so` files are missing or a set-up instruction fails (with the logs).
    pub fn new(apr_bps: u32, limits: PoolLimits) -> Self {
        let svm = Svm::load().unwrap_or_else(|e| panic!("{e}"));
        // Fixed keys: PDA bump searches (and so compute units) then match between worlds.
        let payer = Pubkey::new_from_array([0xA1; 32]);
        let admin = Pubkey::new_from_array([0xA2; 32]);
        let mint = Pubkey::new_from_array([0xA3; 32]);
        let mut world = Self {
            svm,
            payer,
            admin,
            admin_token: Pubkey::default(),
            mint,
            keys: PoolKeys::derive(&admin, &mint, 0, &TOKEN_PROGRAM),
            market: MarketKeys::derive(&mint, 0, &TOKEN_PROGRAM),
        };
        world.give_sol(&payer, 1_000_000_000_000_000);
        world.give_sol(&admin, 1_000_000_000_000);
        let rent = world.svm.rent_exempt(token_setup::MINT_SPACE);
        world.send_all(
            &token_setup::create_mint(&payer, &mint, &admin, DECIMALS, &TOKEN_PROGRAM, rent),
            "create mint",
        );
        world.admin_token = world.token_account(&admin, 1_000_000_000 * TOKEN);
        let create = instructions::initialize_pool(&admin, &world.keys, 0, apr_bps, limits);
        world.send(&create, "initialize_pool");
        world
    }

    /// Creates the mock market (at `supply_apr_bps`) and points the pool at it.
    pub fn with_market(mut self, supply_apr_bps: u32) -> Self {
        self.attach_market(supply_apr_bps);
        self
    }

    /// `with_market` in place; returns what `init_market` and `set_lending_market` did.
    pub fn attach_market(&mut self, supply_apr_bps: u32) -> [Outcome; 2] {
        let init = lending_instructions::init_market(&self.market, &self.admin, 0, supply_apr_bps);
        let init = self.send(&init, "init_market");
        let set = instructions::set_lending_market(&self.keys, &self.admin, &self.market.market);
        let set = self.send(&set, "set_lending_market");
        self.keys = self.keys.with_lending_market(&self.market.market);
        [init, set]
    }

    pub fn give_sol(&mut self, owner: &Pubkey, lamports: u64) {
        let system = anchor_lang::system_program::ID;
        self.svm
            .set_account(*owner, Account::new(lamports, 0, &system));
    }

    /// `owner`'s associated token account, created through the ATA program and holding `amount`.
    pub fn token_account(&mut self, owner: &Pubkey, amount: u64) -> Pubkey {
        let (address, create) =
            token_setup::associated_account(&self.payer, owner, &self.mint, &TOKEN_PROGRAM);
        self.send(&create, "create token account");
        if amount > 0 {
            let mint_to = token_setup::mint_to(
                &self.mint,
                &address,
                &self.admin,
                amount,
                DECIMALS,
                &TOKEN_PROGRAM,
            );
            self.send(&mint_to, "mint_to");
        }
        address
    }

    /// A new user with SOL for rent and `amount` tokens.
    pub fn user(&mut self, amount: u64) -> User {
        self.user_at(Pubkey::new_unique(), amount)
    }

    /// `user` with a chosen key (the benchmark measures the same key in every world).
    pub fn user_at(&mut self, owner: Pubkey, amount: u64) -> User {
        self.give_sol(&owner, 10_000_000_000);
        let token = self.token_account(&owner, amount);
        User { owner, token }
    }

    /// Opens `user`'s position and deposits `amount` (two transactions, as a first deposit
    /// is); the deposit's outcome.
    pub fn stake(&mut self, user: &User, amount: u64) -> Outcome {
        let open = instructions::open_position(&self.keys, &user.owner);
        self.send(&open, "open_position");
        let deposit = instructions::deposit(&self.keys, &user.owner, &user.token, amount);
        self.send(&deposit, "deposit")
    }

    /// Sends one instruction and requires success (set-up steps).
    pub fn send(&mut self, instruction: &Instruction, what: &str) -> Outcome {
        self.svm.send(instruction).expect_ok(what)
    }

    pub fn send_all(&mut self, instructions: &[Instruction], what: &str) -> Outcome {
        self.svm.send_all(instructions).expect_ok(what)
    }

    pub fn fund_rewards(&mut self, amount: u64) -> Outcome {
        let fund = instructions::fund_rewards(&self.keys, &self.admin, &self.admin_token, amount);
        self.send(&fund, "fund_rewards")
    }

    /// Funds the market's interest pot from the admin's tokens.
    pub fn fund_market_interest(&mut self, amount: u64) -> Outcome {
        let fund = lending_instructions::fund_interest(
            &self.market,
            &self.admin,
            &self.admin_token,
            amount,
        );
        self.send(&fund, "fund_interest")
    }

    fn decode<T: AccountDeserialize>(&self, address: &Pubkey, what: &'static str) -> T {
        let account = self
            .svm
            .account(address)
            .unwrap_or_else(|| panic!("no {what} account at {address}"));
        accounts::anchor(&account.data, what).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn pool(&self) -> Pool {
        self.decode(&self.keys.pool, "pool")
    }

    pub fn position(&self, owner: &Pubkey) -> Position {
        self.decode(&self.keys.position(owner), "position")
    }

    pub fn market_state(&self) -> Market {
        self.decode(&self.market.market, "market")
    }

    pub fn receipt(&self) -> Receipt {
        self.decode(&self.keys.lending().receipt, "receipt")
    }

    /// Token balance of `account` (0 when it does not exist).
    pub fn balance(&self, account: &Pubkey) -> u64 {
        self.svm
            .account(account)
            .map(|a| accounts::token_amount(&a.data).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or(0)
    }

    pub fn lamports(&self, address: &Pubkey) -> u64 {
        self.svm.account(address).map_or(0, |a| a.lamports)
    }
}
