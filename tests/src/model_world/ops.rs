//! The operations a model world draws: every user, crank, admin, market and clock move, how
//! each is chosen, and what the model expects of it.
use staking_pool::state::{Change, ChangeKind};

use super::choices::Choices;
use super::ADMINS;
use crate::model::{Model, Outcome};
use crate::DAY;

pub(super) const UNIT: u64 = 1_000_000;

#[derive(Clone, Copy, Debug)]
pub(super) enum Op {
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
pub(super) enum Edge {
    /// Its first executable instant.
    Executable,
    /// The first second after it lapsed.
    PastLapse,
}

/// The concrete operation for `op` in the state `m`: a time jump to a window's edge (none when
/// nothing of the kind is pending or the edge has passed), a borrow of what the vault holds.
pub(super) fn resolve(op: Op, m: &Model) -> Op {
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
pub(super) fn hostile_plan(rng: &mut Choices, m: &Model) -> Vec<Op> {
    let admin = m.pool.admin;
    let pending: Vec<ChangeKind> = m.pool.pending.all().map(|(c, _)| c.kind()).collect();
    let pick_pending = |rng: &mut Choices| pending[rng.below(pending.len() as u64) as usize];
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

/// The next operation. With `clock_back`, a tenth of the clock moves step back up to a day.
pub(super) fn pick(rng: &mut Choices, m: &Model, clock_back: bool) -> Op {
    let user = rng.below(m.positions.len() as u64) as usize;
    let position = &m.positions[user];
    let admin_or_not = |rng: &mut Choices| {
        if rng.chance(90) {
            m.pool.admin
        } else {
            rng.below(ADMINS as u64) as usize
        }
    };
    let kind = |rng: &mut Choices| {
        [
            ChangeKind::Apr,
            ChangeKind::Reserve,
            ChangeKind::UnbondingPeriod,
            ChangeKind::NoticePeriod,
        ][rng.below(4) as usize]
    };
    let period = |rng: &mut Choices| [0, DAY, 2 * DAY, 3 * DAY, 5 * DAY][rng.below(5) as usize];
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
        _ if clock_back && rng.chance(10) => Op::Time(-(rng.below(DAY as u64) as i64)),
        _ => Op::Time(rng.below(4 * DAY as u64) as i64),
    }
}

pub(super) fn expect(m: &mut Model, op: Op) -> Outcome {
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

/// The depositor whose position `op` acts on, if any.
pub(super) fn actor(op: Op) -> Option<usize> {
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

/// How the admin makes `change` by the rules: at once in a pool without a notice period,
/// otherwise announced and executed at its first executable instant.
pub(super) fn by_the_rules(m: &Model, change: Change) -> Vec<Op> {
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
