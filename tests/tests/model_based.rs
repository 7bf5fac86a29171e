//! Model-based test: a seeded random sequence of every user, crank and admin instruction, time
//! jumps, donations, illiquid periods, a stranger depositing into and withdrawing from the
//! same lending market, and (odd seeds) interest the market never funds, run against the
//! programs and a plain Rust model side by side; half the worlds have a notice period, so
//! changes against depositors are proposed, executed and cancelled among the rest, and a
//! hostile admin plays the notice rules against depositors (announces, springs changes at their
//! first instant with a crank and a borrow of everything in its market, lets announcements
//! lapse and tries to revive them, swings the notice). After every step, principal that has
//! started to leave is idle: no lend takes it, and a crank leaves it lent only as far as the
//! market cannot pay. At the end the hostile market authority borrows everything it can and
//! every leaver must still withdraw all unbonding principal; then the borrowers repay and every
//! user must be able to withdraw all principal. After every step the programs' accounts must equal the
//! model's, a refusal must carry the model's exact error code, and every SPEC.md §2 invariant
//! must hold. `STAKEPOOL_MODEL_OPS` (default 10,000) and `STAKEPOOL_MODEL_SEED` change the run;
//! a failure prints the seed and the step.
use std::io::Write;

use anchor_lang::prelude::Pubkey;
use solana_signer::Signer;
use stakepool_tests::model::{Balances, MPool, MPosition, Model, Outcome};
use stakepool_tests::*;
use staking_pool::state::{Change, ChangeKind, PoolLimits};

const USERS: usize = 20;
const UNIT: u64 = 1_000_000;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// Mostly a share of `max`, sometimes an edge: 0, max, max + 1.
    fn amount(&mut self, max: u64) -> u64 {
        match self.below(20) {
            0 => 0,
            1 => max,
            2 => max + 1,
            _ => self.below(max.max(1)) + 1,
        }
    }
}

struct World {
    bank: Bank,
    pool: TestPool,
    market: TestMarket,
    users: Vec<User>,
    donor: User,
    /// Deposits into the lending market directly, beside the pool.
    stranger: User,
    /// Keys the admin role moves between: the pool's creator first.
    admins: Vec<solana_keypair::Keypair>,
}

/// Candidate admins: the creator and two others.
const ADMINS: usize = 3;

/// Reads every account the model describes.
async fn observe(w: &mut World, clock: i64) -> Model {
    let mut model = observe_pool(w).await;
    model.clock = clock;
    for i in 0..USERS {
        model.positions.push(observe_position(w, i).await);
        model
            .tokens
            .wallets
            .push(w.bank.token_balance(w.users[i].token).await);
        model.user_shares.push(user_shares(w, i).await);
    }
    model.tokens.vault = w.bank.token_balance(w.pool.keys.vault).await;
    model.tokens.reward_vault = w.bank.token_balance(w.pool.keys.reward_vault).await;
    model.tokens.market_vault = w.bank.token_balance(w.market.keys.liquidity_vault).await;
    model.tokens.authority = w.bank.token_balance(w.market.authority.token).await;
    model.tokens.funder = w.bank.token_balance(w.pool.funder.token).await;
    model.tokens.donor = w.bank.token_balance(w.donor.token).await;
    model.tokens.stranger = w.bank.token_balance(w.stranger.token).await;
    model
}

/// The pool and the market, with no positions or balances filled in.
async fn observe_pool(w: &mut World) -> Model {
    let state = w.bank.pool_state(&w.pool).await;
    let market = w.bank.market_state(&w.market).await;
    let receipt = w
        .bank
        .receipt_state(&w.market, &w.pool.keys.pool)
        .await
        .unwrap();
    let stranger = w
        .bank
        .receipt_state(&w.market, &w.stranger.key())
        .await
        .unwrap();
    Model {
        pool: MPool {
            apr_bps: state.apr_bps,
            index_checkpoint: state.index_checkpoint.get(),
            checkpoint_ts: state.checkpoint_ts,
            accrued_index: state.accrued_index(),
            last_update_ts: state.last_update_ts,
            total_owed: state.total_owed(),
            total_staked: state.total_staked_shares,
            total_unbonding: state.total_unbonding_shares,
            principal_index: state.principal_index(),
            losses: state.total_losses,
            principal: state.principal,
            funded: state.total_rewards_funded,
            paid: state.total_rewards_paid,
            harvested: state.total_interest_harvested,
            lent: state.lent_principal,
            lending_costs: state.total_lending_costs,
            reserve_bps: state.limits.reserve_bps,
            unbonding_period: state.limits.unbonding_period,
            notice_period: state.limits.notice_period,
            pending: state.pending,
            paused: state.is_paused(),
            last_lend_ts: state.last_lend_ts,
            last_recall_ts: state.last_recall_ts,
            admin: w
                .admins
                .iter()
                .position(|k| k.pubkey() == state.admin)
                .expect("admin is a candidate"),
            pending_admin: w
                .admins
                .iter()
                .position(|k| k.pubkey() == state.pending_admin),
        },
        positions: Vec::new(),
        market_rate_cp: market.rate_checkpoint,
        market_t_cp: market.checkpoint_ts,
        market_apr: market.supply_apr_bps,
        total_shares: market.total_shares,
        loans: market.outstanding_loans,
        written_off: market.written_off,
        receipt_shares: receipt.shares,
        stranger_shares: stranger.shares,
        user_shares: Vec::new(),
        tokens: Balances::default(),
        clock: 0,
    }
}

/// Even seeds back part of the market's interest up front; odd seeds never do, so their
/// market's index runs ahead of what it holds (unfunded interest) for the whole run. A
/// `notice` period makes changes against depositors wait (proposals, executions, refusals).
async fn set_up(rng: &mut Rng, funded: bool, notice: i64) -> World {
    let mut bank = Bank::start().await;
    let mut pool = bank
        .create_pool(PoolSetup {
            apr_bps: 1_200,
            limits: PoolLimits {
                reserve_bps: 2_000,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 800).await;
    // Longer notice is for depositors: it applies at once.
    let admin = pool.admin.insecure_clone();
    let limits = PoolLimits {
        reserve_bps: 2_000,
        notice_period: notice,
        ..PoolLimits::default()
    };
    bank.set_params(&pool, &admin, limits).await.unwrap();
    if funded {
        bank.market_fund_interest(&market, 200_000 * UNIT)
            .await
            .unwrap();
    }
    let stranger = bank
        .new_market_user(&market, &pool.mint, 2_000_000 * UNIT)
        .await;
    bank.fund_rewards(&pool, 20_000 * UNIT).await.unwrap();
    let mut users = Vec::new();
    for _ in 0..USERS {
        let user = bank
            .new_user(&pool.mint, (rng.below(100_000) + 1) * UNIT)
            .await;
        bank.open_position(&pool, &user).await.unwrap();
        users.push(user);
    }
    let donor = bank.new_user(&pool.mint, 1_000_000 * UNIT).await;
    let mut admins = vec![pool.admin.insecure_clone()];
    for _ in 1..ADMINS {
        admins.push(bank.fresh_wallet().await);
    }
    World {
        bank,
        pool,
        market,
        users,
        donor,
        stranger,
        admins,
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Deposit(usize, u64),
    Withdraw(usize, u64),
    RequestUnbond(usize, u64),
    Claim(usize),
    Compound(usize),
    ClosePosition(usize),
    FundRewards(u64),
    Rebalance,
    Harvest,
    RecallAll,
    SetApr(u32),
    /// Reserve, unbonding period, notice period.
    SetParams(u16, i64, i64),
    /// Signed by admin candidate .0.
    Propose(usize, Change),
    Execute(ChangeKind),
    /// Signed by admin candidate .0.
    Cancel(usize, ChangeKind),
    Pause,
    Unpause,
    /// Signed by admin candidate .0, naming candidate .1.
    TransferAdmin(usize, usize),
    /// Signed by admin candidate .0.
    AcceptAdmin(usize),
    Borrow(u64),
    Repay(u64),
    FundInterest(u64),
    StrangerDeposit(u64),
    StrangerWithdraw(u64),
    Donate(u64, bool),
    Time(i64),
    /// Moves the clock to an edge of the pending change's window (resolved by `resolve`).
    TimeTo(ChangeKind, Edge),
    /// The market authority borrows everything the market's vault holds (resolved by `resolve`).
    BorrowAll,
    /// The market authority writes loans off, or puts written-off loans back.
    Default(u64),
    Recover(u64),
    RecogniseLoss,
    WithdrawInKind(usize, u64),
}

/// An edge of an announced change's window.
#[derive(Clone, Copy, Debug)]
enum Edge {
    /// Its first executable instant.
    Executable,
    /// The first second after it lapsed.
    PastLapse,
}

/// The concrete operation for `op` in the state `m`: a time jump to a window's edge (none when
/// nothing of the kind is pending or the edge has passed), a borrow of what the vault holds.
fn resolve(op: Op, m: &Model) -> Op {
    match op {
        Op::TimeTo(kind, edge) => {
            let at = m.pool.pending.get(kind).map(|(_, window)| match edge {
                Edge::Executable => window.executable_at,
                Edge::PastLapse => window.lapses_at + 1,
            });
            Op::Time(at.map_or(0, |at| (at - m.clock).max(0)))
        }
        Op::BorrowAll => Op::Borrow(m.tokens.market_vault),
        op => op,
    }
}

/// A hostile admin who plays by the notice rules, one move at a time: announces a change
/// against depositors; springs a pending one at its first executable instant, then cranks a
/// lend and has its market borrow everything; lets one lapse, raises the notice and tries to
/// execute it again; or swings the notice (a raise applies at once, a cut is announced).
fn hostile_plan(rng: &mut Rng, m: &Model) -> Vec<Op> {
    let admin = m.pool.admin;
    let pending: Vec<ChangeKind> = m.pool.pending.all().map(|(c, _)| c.kind()).collect();
    let pick_pending = |rng: &mut Rng| pending[rng.below(pending.len() as u64) as usize];
    let (reserve, unbonding, notice) = (
        m.pool.reserve_bps,
        m.pool.unbonding_period,
        m.pool.notice_period,
    );
    match rng.below(4) {
        1 if !pending.is_empty() => {
            let kind = pick_pending(rng);
            vec![
                Op::TimeTo(kind, Edge::Executable),
                Op::Execute(kind),
                Op::Rebalance,
                Op::BorrowAll,
            ]
        }
        2 if !pending.is_empty() => {
            let kind = pick_pending(rng);
            vec![
                Op::TimeTo(kind, Edge::PastLapse),
                Op::Execute(kind),
                Op::SetParams(reserve, unbonding, notice + DAY),
                Op::Execute(kind),
            ]
        }
        3 if rng.chance(50) => vec![Op::SetParams(reserve, unbonding, notice + DAY)],
        3 => vec![Op::Propose(admin, Change::NoticePeriod(notice - DAY))],
        _ => {
            let change = match rng.below(3) {
                0 => Change::Apr(m.pool.apr_bps / 2),
                1 => Change::Reserve(reserve / 2),
                _ => Change::UnbondingPeriod(unbonding + DAY),
            };
            vec![Op::Propose(admin, change)]
        }
    }
}

fn pick(rng: &mut Rng, m: &Model) -> Op {
    let user = rng.below(USERS as u64) as usize;
    let position = &m.positions[user];
    let admin_or_not = |rng: &mut Rng| {
        if rng.chance(90) {
            m.pool.admin
        } else {
            rng.below(ADMINS as u64) as usize
        }
    };
    let kind = |rng: &mut Rng| {
        [
            ChangeKind::Apr,
            ChangeKind::Reserve,
            ChangeKind::UnbondingPeriod,
            ChangeKind::NoticePeriod,
        ][rng.below(4) as usize]
    };
    let period = |rng: &mut Rng| [0, DAY, 2 * DAY, 3 * DAY, 5 * DAY][rng.below(5) as usize];
    match rng.below(114) {
        // A default of up to a fifth of the loans, and now and then of all of them.
        108..=109 => Op::Default(if rng.chance(5) {
            m.loans
        } else {
            rng.amount(m.loans / 5)
        }),
        110 => Op::Recover(rng.amount(m.written_off)),
        111 => Op::RecogniseLoss,
        112..=113 => Op::WithdrawInKind(user, rng.amount(m.worth(user))),
        100..=103 => {
            let change = match rng.below(4) {
                0 => Change::Apr(rng.below(3_000) as u32),
                1 => Change::Reserve(rng.below(10_001) as u16),
                2 => Change::UnbondingPeriod(period(rng)),
                _ => Change::NoticePeriod(period(rng)),
            };
            Op::Propose(admin_or_not(rng), change)
        }
        104..=105 => Op::Execute(kind(rng)),
        106..=107 => Op::Cancel(admin_or_not(rng), kind(rng)),
        0..=17 => Op::Deposit(
            user,
            rng.amount(m.tokens.wallets[user])
                .min(m.tokens.wallets[user]),
        ),
        18..=29 => Op::Withdraw(user, rng.amount(m.worth(user))),
        30..=34 => Op::RequestUnbond(user, rng.amount(m.value(position.staked))),
        35..=44 => Op::Claim(user),
        45..=48 => Op::Compound(user),
        49..=50 => Op::ClosePosition(user),
        51..=53 => Op::FundRewards(rng.amount(5_000 * UNIT)),
        54..=61 => Op::Rebalance,
        62..=66 => Op::Harvest,
        67..=68 => Op::RecallAll,
        69..=70 => Op::SetApr(if rng.chance(5) {
            staking_pool::constants::MAX_APR_BPS + 1
        } else {
            rng.below(3_000) as u32
        }),
        71..=72 => Op::SetParams(
            rng.below(10_001) as u16,
            if rng.chance(50) { 0 } else { 2 * DAY },
            if rng.chance(80) {
                m.pool.notice_period
            } else {
                period(rng)
            },
        ),
        73 => Op::Pause,
        74..=75 => Op::Unpause,
        // Mostly the admin, sometimes someone else (Unauthorized).
        84..=85 => {
            let signer = if rng.chance(80) {
                m.pool.admin
            } else {
                rng.below(ADMINS as u64) as usize
            };
            Op::TransferAdmin(signer, rng.below(ADMINS as u64) as usize)
        }
        86..=87 => Op::AcceptAdmin(if rng.chance(70) {
            m.pool.pending_admin.unwrap_or(0)
        } else {
            rng.below(ADMINS as u64) as usize
        }),
        76..=78 => Op::Borrow(rng.amount(m.tokens.market_vault)),
        79..=81 => Op::Repay(rng.amount(m.loans)),
        82..=83 => Op::Donate(rng.below(100 * UNIT) + 1, rng.chance(50)),
        88..=90 => Op::StrangerDeposit(rng.amount(m.tokens.stranger / 4).min(m.tokens.stranger)),
        91..=92 => Op::StrangerWithdraw(rng.amount(m.stranger_value())),
        93 => Op::FundInterest(rng.amount(500 * UNIT)),
        // Forward only: a clock that steps back lets the market price recalls at an older
        // rate (a real, tiny loss the pool does not absorb); extremes.rs and lending.rs cover
        // backward clocks on their own.
        _ => Op::Time(rng.below(4 * DAY as u64) as i64),
    }
}

/// Sends `op` to the bank; returns the result and the index of the instruction whose error
/// counts (a deposit into a closed position opens it first, in the same transaction).
async fn send(w: &mut World, m: &Model, op: Op) -> (TxResult, u8) {
    let World {
        bank,
        pool,
        market,
        users,
        donor,
        stranger,
        admins,
    } = w;
    let admin = admins[m.pool.admin].insecure_clone();
    match op {
        Op::Deposit(u, amount) => {
            let opens = !m.positions[u].open;
            (bank.stake(pool, &users[u], amount).await, u8::from(opens))
        }
        Op::Withdraw(u, amount) => (bank.withdraw(pool, &users[u], amount).await, 0),
        Op::RequestUnbond(u, amount) => (bank.request_unbond(pool, &users[u], amount).await, 0),
        Op::Claim(u) => (bank.claim(pool, &users[u]).await, 0),
        Op::Compound(u) => (bank.compound(pool, &users[u]).await, 0),
        Op::ClosePosition(u) => (bank.close_position(pool, &users[u]).await, 0),
        Op::FundRewards(amount) => (bank.fund_rewards(pool, amount).await, 0),
        Op::Rebalance => (bank.rebalance(pool).await, 0),
        Op::Harvest => (bank.harvest(pool).await, 0),
        Op::RecallAll => (bank.recall_all(pool, &admin).await, 0),
        Op::SetApr(apr) => (bank.set_apr(pool, &admin, apr).await, 0),
        Op::SetParams(reserve, period, notice) => {
            let limits = PoolLimits {
                reserve_bps: reserve,
                unbonding_period: period,
                notice_period: notice,
                ..PoolLimits::default()
            };
            (bank.set_params(pool, &admin, limits).await, 0)
        }
        Op::Propose(signer, change) => (
            bank.propose_change(pool, &admins[signer].insecure_clone(), change)
                .await,
            0,
        ),
        Op::Execute(kind) => {
            let crank = users[0].wallet.insecure_clone();
            (bank.execute_change(pool, &crank, kind, None).await, 0)
        }
        Op::Cancel(signer, kind) => (
            bank.cancel_change(pool, &admins[signer].insecure_clone(), kind)
                .await,
            0,
        ),
        Op::Pause => (bank.pause(pool, &admin).await, 0),
        Op::Unpause => (bank.unpause(pool, &admin).await, 0),
        Op::TransferAdmin(signer, to) => {
            let to = admins[to].pubkey();
            (
                bank.transfer_admin(pool, &admins[signer].insecure_clone(), &to)
                    .await,
                0,
            )
        }
        Op::AcceptAdmin(signer) => (
            bank.accept_admin(pool, &admins[signer].insecure_clone())
                .await,
            0,
        ),
        Op::Borrow(amount) => (bank.market_borrow(market, amount).await, 0),
        Op::Repay(amount) => (bank.market_repay(market, amount).await, 0),
        Op::FundInterest(amount) => (bank.market_fund_interest(market, amount).await, 0),
        Op::StrangerDeposit(amount) => (bank.market_deposit(market, stranger, amount).await, 0),
        Op::StrangerWithdraw(amount) => (bank.market_withdraw(market, stranger, amount).await, 0),
        Op::Donate(amount, to_rewards) => {
            let to = if to_rewards {
                pool.keys.reward_vault
            } else {
                pool.keys.vault
            };
            bank.transfer_tokens(&pool.mint, &donor.token, &donor.wallet, &to, amount)
                .await;
            (Ok(()), 0)
        }
        Op::Time(dt) => {
            bank.set_time(m.clock + dt).await;
            (Ok(()), 0)
        }
        Op::Default(amount) => (bank.market_default(market, amount).await, 0),
        Op::Recover(amount) => (bank.market_recover(market, amount).await, 0),
        Op::RecogniseLoss => (bank.recognise_loss(pool).await, 0),
        Op::WithdrawInKind(u, amount) => {
            let user = &users[u];
            let mut instructions = Vec::new();
            let opens = bank.receipt_state(market, &user.key()).await.is_none();
            if opens {
                instructions.push(stakepool_client::lending_instructions::open_receipt(
                    &market.keys,
                    &user.key(),
                    &user.key(),
                ));
            }
            instructions.push(stakepool_client::instructions::withdraw_in_kind(
                &pool.keys,
                &user.key(),
                &user.token,
                &market.keys.receipt(&user.key()),
                amount,
            ));
            (
                bank.send(&instructions, &[&user.wallet]).await,
                u8::from(opens),
            )
        }
        Op::TimeTo(..) | Op::BorrowAll => unreachable!("resolved before it is sent"),
    }
}

fn expect(m: &mut Model, op: Op) -> Outcome {
    match op {
        Op::Deposit(u, amount) => m.apply(|m| m.deposit(u, amount)),
        Op::Withdraw(u, amount) => m.apply(|m| m.withdraw(u, amount)),
        Op::RequestUnbond(u, amount) => m.apply(|m| m.request_unbond(u, amount)),
        Op::Claim(u) => m.apply(|m| m.claim(u)),
        Op::Compound(u) => m.apply(|m| m.compound(u)),
        Op::ClosePosition(u) => m.apply(|m| m.close_position(u)),
        Op::FundRewards(amount) => m.apply(|m| m.fund_rewards(amount)),
        Op::Rebalance => m.apply(Model::rebalance),
        Op::Harvest => m.apply(Model::harvest),
        Op::RecallAll => m.apply(Model::recall_all),
        Op::SetApr(apr) => m.apply(|m| m.set_apr(apr)),
        Op::SetParams(reserve, period, notice) => {
            m.apply(|m| m.set_params(reserve, period, notice))
        }
        Op::Propose(signer, change) => m.apply(|m| m.propose_change(signer, change)),
        Op::Execute(kind) => m.apply(|m| m.execute_change(kind)),
        Op::Cancel(signer, kind) => m.apply(|m| m.cancel_change(signer, kind)),
        Op::Pause => m.apply(|m| m.set_paused(true)),
        Op::Unpause => m.apply(|m| m.set_paused(false)),
        Op::TransferAdmin(signer, to) => m.apply(|m| m.transfer_admin(signer, to)),
        Op::AcceptAdmin(signer) => m.apply(|m| m.accept_admin(signer)),
        Op::Borrow(amount) => m.apply(|m| m.borrow(amount)),
        Op::Repay(amount) => m.apply(|m| m.repay(amount)),
        Op::FundInterest(amount) => m.apply(|m| m.fund_interest(amount)),
        Op::StrangerDeposit(amount) => m.apply(|m| m.stranger_deposit(amount)),
        Op::StrangerWithdraw(amount) => m.apply(|m| m.stranger_withdraw(amount)),
        Op::Donate(amount, to_rewards) => {
            m.donate(amount, to_rewards);
            Ok(())
        }
        Op::Time(dt) => {
            m.clock += dt;
            Ok(())
        }
        Op::Default(amount) => m.apply(|m| m.default_loans(amount)),
        Op::Recover(amount) => m.apply(|m| m.recover(amount)),
        Op::RecogniseLoss => m.apply(Model::recognise_loss),
        Op::WithdrawInKind(u, amount) => m.apply(|m| m.withdraw_in_kind(u, amount)),
        Op::TimeTo(..) | Op::BorrowAll => unreachable!("resolved before it is expected"),
    }
}

/// Principal that has started to leave is never lent: a step that lends leaves idle principal
/// covering all unbonding principal, and after a crank it is short only as far as the market
/// cannot pay (its vault is empty, the pool's receipt is worth less, or nothing is lent).
fn check_leaving_principal_is_idle(before: &Model, after: &Model, op: Op, context: &str) {
    let pool = &after.pool;
    let shortfall = after
        .value(pool.total_unbonding)
        .saturating_sub(after.principal().saturating_sub(pool.lent));
    if pool.lent > before.pool.lent {
        assert_eq!(shortfall, 0, "{context}: a lend took unbonding principal");
    }
    if matches!(op, Op::Rebalance) {
        assert!(
            shortfall == 0
                || after.tokens.market_vault == 0
                || after.receipt_value() < shortfall
                || pool.lent == 0,
            "{context}: unbonding principal {shortfall} left lent by a crank the market could pay"
        );
    }
}

/// SPEC.md §2 invariants over the observed accounts (the pool as read, every position as last
/// read: a position no transaction since has referenced cannot have changed).
fn check_invariants(
    pool: staking_pool::state::Pool,
    observed: &Model,
    supply: u64,
    receipt_value: u64,
    context: &str,
) -> usize {
    let positions = observed
        .positions
        .iter()
        .filter(|p| p.open)
        .map(|p| staking_pool::state::Position {
            owner: Pubkey::default(),
            pool: Pubkey::default(),
            staked_shares: p.staked,
            unbonding_shares: p.unbonding,
            unlock_ts: p.unlock_ts,
            index_snapshot: p.snapshot.into(),
            owed: p.owed.into(),
            total_claimed: p.claimed,
            bump: 0,
            padding: [0; 7],
            reserved: [0; 32],
        })
        .collect();
    let pending_loss = staking_pool::allocation::unrecognised_loss(
        pool.lent_principal,
        receipt_value,
        observed.rate(),
    );
    let books = stakepool_client::invariants::Books {
        pool,
        positions,
        vault: observed.tokens.vault,
        reward_vault: observed.tokens.reward_vault,
        receipt_value: Some(receipt_value),
        pending_loss,
        tokens_total: observed.total_tokens(),
        supply,
        now: observed.clock,
    };
    let checks = stakepool_client::invariants::check_all(&books);
    for check in &checks {
        assert!(
            check.holds,
            "{context}: invariant broken: {}: {}",
            check.name, check.detail
        );
    }
    checks.len()
}

/// Re-reads what `op` can have changed: the pool, the market, the vaults, the acting user's
/// position and wallet, and the other wallets the op moves tokens from or to. A transaction
/// cannot change an account it does not reference, so this is the whole effect.
async fn refresh(w: &mut World, observed: &mut Model, op: Op) {
    let fresh_pool = observe_pool(w).await;
    observed.pool = fresh_pool.pool;
    observed.total_shares = fresh_pool.total_shares;
    observed.loans = fresh_pool.loans;
    observed.written_off = fresh_pool.written_off;
    observed.receipt_shares = fresh_pool.receipt_shares;
    observed.stranger_shares = fresh_pool.stranger_shares;
    observed.tokens.stranger = w.bank.token_balance(w.stranger.token).await;
    observed.tokens.vault = w.bank.token_balance(w.pool.keys.vault).await;
    observed.tokens.reward_vault = w.bank.token_balance(w.pool.keys.reward_vault).await;
    observed.tokens.market_vault = w.bank.token_balance(w.market.keys.liquidity_vault).await;
    observed.tokens.authority = w.bank.token_balance(w.market.authority.token).await;
    observed.tokens.funder = w.bank.token_balance(w.pool.funder.token).await;
    observed.tokens.donor = w.bank.token_balance(w.donor.token).await;
    if let Some(u) = actor(op) {
        observed.positions[u] = observe_position(w, u).await;
        observed.tokens.wallets[u] = w.bank.token_balance(w.users[u].token).await;
        observed.user_shares[u] = user_shares(w, u).await;
    }
}

/// The depositor whose position `op` acts on, if any.
fn actor(op: Op) -> Option<usize> {
    match op {
        Op::Deposit(u, _)
        | Op::Withdraw(u, _)
        | Op::RequestUnbond(u, _)
        | Op::Claim(u)
        | Op::Compound(u)
        | Op::ClosePosition(u)
        | Op::WithdrawInKind(u, _) => Some(u),
        _ => None,
    }
}

/// When `op` recognised a loss, every depositor it did not act for kept the same fraction of
/// their principal as the pool: `worth × (principal − loss) / principal`, within a base unit.
/// Returns how many depositors were checked.
fn check_loss_shared_pro_rata(before: &Model, after: &Model, op: Op, context: &str) -> usize {
    let loss = after.pool.losses - before.pool.losses;
    if loss == 0 {
        return 0;
    }
    // The pool's principal as it was when the loss was recognised, before `op` moved any.
    let principal = u128::from(before.principal());
    let mut checked = 0;
    for u in (0..after.positions.len()).filter(|&u| Some(u) != actor(op)) {
        let was = u128::from(before.worth(u));
        if was == 0 {
            continue;
        }
        let fair = was * (principal - u128::from(loss)) / principal;
        let kept = u128::from(after.worth(u));
        assert!(
            fair.abs_diff(kept) <= 1,
            "{context}: depositor {u} kept {kept} of {was} after a loss of {loss} out of {principal}, fair {fair}"
        );
        checked += 1;
    }
    checked
}

/// The market shares user `u` holds in a receipt of their own (taken in kind).
async fn user_shares(w: &mut World, u: usize) -> u64 {
    let owner = w.users[u].key();
    w.bank
        .receipt_state(&w.market, &owner)
        .await
        .map_or(0, |r| r.shares)
}

async fn observe_position(w: &mut World, u: usize) -> MPosition {
    let position = w.bank.position_state(&w.pool, &w.users[u]).await;
    position.map_or(MPosition::default(), |p| MPosition {
        open: true,
        staked: p.staked_shares,
        unbonding: p.unbonding_shares,
        unlock_ts: p.unlock_ts,
        snapshot: p.index_snapshot.get(),
        owed: p.owed(),
        claimed: p.total_claimed,
    })
}

/// What one world has counted.
#[derive(Default)]
struct Tally {
    refusals: usize,
    checks: usize,
    /// Announced changes that were executed (the notice worlds' proposals reaching their time).
    executed: usize,
    /// The hostile admin's moves that the programs carried out.
    hostile: usize,
    /// Depositors who had started to leave, and the unbonding principal they took out in full
    /// from a market its authority had just emptied.
    leavers: usize,
    left: u64,
    /// Losses recognised, and depositors checked to have borne their pro-rata share of one.
    losses: usize,
    shared: usize,
    /// Withdrawals in kind carried out.
    in_kind: usize,
    /// Principal moves (deposits, compounds, withdrawals) made while a share was worth less
    /// than a base unit: each can leave the pool up to two base units of share rounding.
    rounded: usize,
}

/// Runs `op` against the model and the programs, and checks they agree: the outcome (with the
/// exact refusal code), every account the op can touch, and every invariant. `full` re-reads
/// every account instead of only those the op references.
async fn step(
    w: &mut World,
    model: &mut Model,
    observed: &mut Model,
    op: Op,
    full: bool,
    context: &str,
    tally: &mut Tally,
) -> Outcome {
    let supply = w.bank.mint_supply(&w.pool.mint.address).await;
    let before = model.clone();
    let op = resolve(op, &before);
    let expected = expect(model, op);
    let (result, index) = send(w, &before, op).await;
    match (&expected, &result) {
        (Ok(()), Ok(())) => {
            if matches!(op, Op::Execute(_)) {
                tally.executed += 1;
            }
        }
        (Err(code), Err(_)) => {
            assert_eq!(
                custom_code(&result, index),
                Some(*code),
                "{context}: got {result:?}"
            );
            tally.refusals += 1;
        }
        _ => panic!("{context}: model {expected:?}, programs {result:?}"),
    }
    observed.clock = model.clock;
    if full {
        *observed = observe(w, model.clock).await;
    } else {
        refresh(w, observed, op).await;
    }
    if observed != model {
        panic!(
            "{context}: accounts differ from the model:{}",
            diff(observed, model)
        );
    }
    let pool = w.bank.pool_state(&w.pool).await;
    // Valued at the pool's time, which never runs backwards.
    let receipt_value = w
        .bank
        .receipt_value_at(
            &w.market,
            &w.pool.keys.pool,
            pool.last_update_ts.max(model.clock),
        )
        .await;
    tally.checks += check_invariants(pool, observed, supply, receipt_value, context);
    if expected.is_ok() {
        check_leaving_principal_is_idle(&before, model, op, context);
        let shared = check_loss_shared_pro_rata(&before, model, op, context);
        tally.losses += usize::from(model.pool.losses > before.pool.losses);
        tally.shared += shared;
        tally.in_kind += usize::from(matches!(op, Op::WithdrawInKind(..)));
        let moves_principal = matches!(
            op,
            Op::Deposit(..) | Op::Compound(_) | Op::Withdraw(..) | Op::WithdrawInKind(..)
        );
        let written_down = before.pool.principal_index < staking_pool::constants::SCALE
            || model.pool.losses > before.pool.losses;
        tally.rounded += usize::from(moves_principal && written_down);
    }
    expected
}

/// `step` for an operation that must succeed (the final exit).
async fn must(
    w: &mut World,
    model: &mut Model,
    observed: &mut Model,
    tally: &mut Tally,
    op: Op,
    context: &str,
) {
    let before = model.clone();
    let outcome = step(w, model, observed, op, true, context, tally).await;
    assert_eq!(
        outcome,
        Ok(()),
        "{context}: idle {} lent {} principal {} market vault {} pool {:?}",
        before.idle(),
        before.pool.lent,
        before.principal(),
        before.tokens.market_vault,
        before.pool
    );
}

/// `ops` in turn at the end of a run; each must succeed when `required`.
async fn exit(
    w: &mut World,
    model: &mut Model,
    observed: &mut Model,
    tally: &mut Tally,
    ops: Vec<Op>,
    context: String,
    required: bool,
) {
    for op in ops {
        let what = format!("{context}: {op:?}");
        let outcome = step(w, model, observed, op, true, &what, tally).await;
        assert!(!required || outcome.is_ok(), "{what}: {outcome:?}");
    }
}

/// How the admin makes `change` by the rules: at once in a pool without a notice period,
/// otherwise announced and executed at its first executable instant.
fn by_the_rules(m: &Model, change: Change) -> Vec<Op> {
    if m.pool.notice_period > 0 {
        let kind = change.kind();
        return vec![
            Op::Propose(m.pool.admin, change),
            Op::TimeTo(kind, Edge::Executable),
            Op::Execute(kind),
        ];
    }
    let (mut reserve, mut unbonding) = (m.pool.reserve_bps, m.pool.unbonding_period);
    match change {
        Change::Reserve(r) => reserve = r,
        Change::UnbondingPeriod(p) => unbonding = p,
        other => unreachable!("the exit makes no {other:?}"),
    }
    vec![Op::SetParams(reserve, unbonding, 0)]
}

/// Runs one seeded sequence of `ops` operations in its own bank, then has the borrowers repay
/// and every user withdraw all principal (each must succeed); returns the tally and the tokens
/// unaccounted for and the highest compute units per instruction (VM backend only).
async fn run_world(seed: u64, ops: usize) -> (Tally, u128, Option<ComputePeaks>) {
    let mut rng = Rng(seed);
    // Seeds s, s+1 without a notice period, s+2, s+3 with three days of it.
    let notice = if seed % 4 >= 2 { 3 * DAY } else { 0 };
    let mut w = set_up(&mut rng, seed.is_multiple_of(2), notice).await;
    let clock = w.bank.now().await;
    let mut model = observe(&mut w, clock).await;
    let mut observed = model.clone();
    let supply = w.bank.mint_supply(&w.pool.mint.address).await;
    let mut tally = Tally::default();
    for n in 1..=ops {
        // In the notice worlds, now and then the admin turns hostile for a move.
        if notice > 0 && rng.chance(3) {
            for op in hostile_plan(&mut rng, &model) {
                let context = format!("seed {seed}, step {n}, hostile: {op:?}");
                let outcome = step(
                    &mut w,
                    &mut model,
                    &mut observed,
                    op,
                    false,
                    &context,
                    &mut tally,
                )
                .await;
                tally.hostile += usize::from(outcome.is_ok() && !matches!(op, Op::TimeTo(..)));
            }
        }
        let op = pick(&mut rng, &model);
        let context = format!("seed {seed}, step {n}: {op:?}");
        let full = n % 100 == 0 || n == ops;
        // A refusal is fine here, as long as the programs refuse it the same way.
        let _ = step(
            &mut w,
            &mut model,
            &mut observed,
            op,
            full,
            &context,
            &mut tally,
        )
        .await;
    }
    // The end. First the leavers, against the admin's best move: with loans repaid and an
    // unbonding period in force (a day, made by the rules: at once without a notice period,
    // announced and executed at its first instant with one), every third depositor asks to
    // leave with half their stake. Then the admin cuts the reserve to nothing by the same
    // rules, a crank lends all it may, and the market's authority borrows everything it holds.
    // Every leaver must still take out all their unbonding principal.
    let context = |what: &str| format!("seed {seed}, exit: {what}");
    let (world, m, seen, t) = (&mut w, &mut model, &mut observed, &mut tally);
    // A loss the market shows is recognised first, so every amount below is what it will be.
    let recognise = vec![Op::RecogniseLoss];
    exit(world, m, seen, t, recognise, context("recognise"), true).await;
    if m.loans > 0 {
        let repay = vec![Op::Repay(m.loans)];
        exit(world, m, seen, t, repay, context("repay"), true).await;
    }
    if m.pool.unbonding_period == 0 {
        let rules = by_the_rules(m, Change::UnbondingPeriod(DAY));
        exit(
            world,
            m,
            seen,
            t,
            rules,
            context("an unbonding period"),
            false,
        )
        .await;
    }
    if m.pool.unbonding_period > 0 {
        for u in (0..USERS).step_by(3) {
            let half = m.value(m.positions[u].staked) / 2;
            if half > 0 {
                let leave = vec![Op::RequestUnbond(u, half)];
                exit(
                    world,
                    m,
                    seen,
                    t,
                    leave,
                    context("a depositor starts to leave"),
                    true,
                )
                .await;
            }
        }
    }
    let rules = by_the_rules(m, Change::Reserve(0));
    exit(world, m, seen, t, rules, context("no reserve"), false).await;
    let crank = vec![
        Op::Time(staking_pool::constants::REBALANCE_INTERVAL),
        Op::Rebalance,
    ];
    exit(world, m, seen, t, crank, context("an hour, a crank"), true).await;
    if m.tokens.market_vault > 0 {
        exit(
            world,
            m,
            seen,
            t,
            vec![Op::BorrowAll],
            context("borrow all"),
            true,
        )
        .await;
    }
    let unlocked = model.positions.iter().map(|p| p.unlock_ts).max();
    let wait = vec![Op::Time((unlocked.unwrap_or(0) - model.clock).max(0))];
    exit(
        &mut w,
        &mut model,
        &mut observed,
        &mut tally,
        wait,
        context("unlock"),
        true,
    )
    .await;
    for u in 0..USERS {
        let unbonding = model.value(model.positions[u].unbonding);
        if unbonding == 0 {
            continue;
        }
        let wallet = model.tokens.wallets[u];
        let what = context(&format!(
            "leaver {u} withdraws {unbonding} from a drained market"
        ));
        let op = Op::Withdraw(u, unbonding);
        must(&mut w, &mut model, &mut observed, &mut tally, op, &what).await;
        assert_eq!(model.tokens.wallets[u] - wallet, unbonding, "{what}");
        tally.leavers += 1;
        tally.left += unbonding;
    }
    // Then the borrowers repay, the pool drops its unbonding period (an admin change for
    // depositors), and every position leaves with all its principal. Each of these must
    // succeed, in the model and in the programs alike.
    if model.loans > 0 {
        let op = Op::Repay(model.loans);
        must(
            &mut w,
            &mut model,
            &mut observed,
            &mut tally,
            op,
            &context("repay"),
        )
        .await;
    }
    let op = Op::SetParams(model.pool.reserve_bps, 0, model.pool.notice_period);
    must(
        &mut w,
        &mut model,
        &mut observed,
        &mut tally,
        op,
        &context("no unbonding"),
    )
    .await;
    for u in 0..USERS {
        let principal = model.worth(u);
        if principal == 0 {
            continue;
        }
        let wallet = model.tokens.wallets[u];
        let what = context(&format!("user {u} withdraws {principal}"));
        let op = Op::Withdraw(u, principal);
        must(&mut w, &mut model, &mut observed, &mut tally, op, &what).await;
        // Principal leaves whole, but for the share rounding of a recall it caused.
        let received = model.tokens.wallets[u] - wallet;
        assert!(principal - received <= 3, "{what}: received {received}");
    }
    // Every share is gone or worth nothing; what the pool still books is the rounding it
    // kept, two base units per principal move and per loss at most.
    assert!((0..USERS).all(|u| model.worth(u) == 0));
    let kept = 2 * (tally.rounded + tally.losses) as u64;
    assert!(
        model.principal() <= kept,
        "seed {seed}: {} base units booked after every exit, more than the {kept} of rounding",
        model.principal()
    );
    let unaccounted = u128::from(supply).abs_diff(model.total_tokens());
    (tally, unaccounted, w.bank.compute_peaks())
}

type ComputePeaks = std::collections::BTreeMap<String, u64>;

/// "; highest compute units per instruction: claim 19898, deposit 18862, ..." in the VM.
fn describe_peaks(peaks: Option<ComputePeaks>) -> String {
    let Some(peaks) = peaks else {
        return String::new();
    };
    let listed: Vec<String> = peaks
        .iter()
        .map(|(name, units)| format!("{name} {units}"))
        .collect();
    format!(
        "; highest compute units per instruction (each under its ceiling): {}",
        listed.join(", ")
    )
}

fn diff(observed: &Model, model: &Model) -> String {
    let mut diff = String::new();
    if observed.pool != model.pool {
        diff += &format!(
            "\n  pool: programs {:?}\n        model    {:?}",
            observed.pool, model.pool
        );
    }
    for (i, (a, b)) in observed.positions.iter().zip(&model.positions).enumerate() {
        if a != b {
            diff += &format!("\n  position {i}: programs {a:?}\n              model    {b:?}");
        }
    }
    if observed.tokens != model.tokens {
        diff += &format!(
            "\n  tokens: programs {:?}\n          model    {:?}",
            observed.tokens, model.tokens
        );
    }
    let market = |m: &Model| (m.total_shares, m.loans, m.receipt_shares);
    if market(observed) != market(model) {
        diff += &format!(
            "\n  market: programs {:?} model {:?}",
            market(observed),
            market(model)
        );
    }
    diff
}

/// Four independent sequences run side by side (each its own bank, 20 users): while one bank
/// waits for a confirmation the others work, so 10,000 operations fit in the default run.
const WORLDS: u64 = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_operations_match_the_model_and_keep_every_invariant() {
    let ops: usize = std::env::var("STAKEPOOL_MODEL_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("STAKEPOOL_MODEL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5EED_CAFE);
    let per_world = ops.div_ceil(WORLDS as usize);
    let worlds: Vec<_> = (0..WORLDS)
        .map(|i| tokio::spawn(run_world(seed + i, per_world)))
        .collect();
    let (mut refusals, mut checks, mut unaccounted, mut executed) = (0, 0, 0, 0);
    let (mut hostile, mut leavers, mut left) = (0, 0, 0);
    let (mut losses, mut shared, mut in_kind) = (0, 0, 0);
    let mut peaks: Option<ComputePeaks> = None;
    for world in worlds {
        let (tally, u, world_peaks) = world
            .await
            .expect("a world failed: see its seed and step above");
        refusals += tally.refusals;
        checks += tally.checks;
        executed += tally.executed;
        hostile += tally.hostile;
        leavers += tally.leavers;
        left += tally.left;
        losses += tally.losses;
        shared += tally.shared;
        in_kind += tally.in_kind;
        unaccounted += u;
        for (name, units) in world_peaks.into_iter().flatten() {
            let peak = peaks.get_or_insert_default().entry(name).or_default();
            *peak = (*peak).max(units);
        }
    }
    // Straight to stderr: libtest captures print! in passing tests, and this line is the
    // test's report.
    let _ = writeln!(
        std::io::stderr(),
        "model-based: {} operations over {WORLDS} × {USERS} users and a market stranger (seeds {seed}..{}, odd seeds with unfunded interest, half with a notice period: {executed} announced changes executed, {hostile} hostile admin moves carried out), {refusals} refusals matched, {checks} invariant checks (all of SPEC.md §2 after every step, and unbonding principal never lent), {unaccounted} tokens unaccounted for, {leavers} leavers took {left} base units of unbonding principal out in full from a market its authority had emptied, {losses} market losses recognised with {shared} depositors each keeping their pro-rata share within a base unit, {in_kind} withdrawals in kind, every principal withdrawn at the end{}",
        per_world * WORLDS as usize,
        seed + WORLDS - 1,
        describe_peaks(peaks)
    );
    assert_eq!(unaccounted, 0);
    assert!(executed > 0, "no announced change ever reached its time");
    assert!(hostile > 0, "the hostile admin never carried out a move");
    assert!(leavers > 0, "nobody was leaving at the end");
    assert!(
        losses > 0 && shared > 0,
        "no market loss was ever recognised"
    );
    assert!(in_kind > 0, "nobody ever left in kind");
}
