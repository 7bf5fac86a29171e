//! The VM tier's event audit: after every successful pool instruction, the events it emitted
//! (decoded from its `Program data:` logs, which only the SBF build writes) must tell the truth
//! about the state change, so an indexer following events alone keeps exact books.
//! - A pool instruction that changed any account emits at least one pool event.
//! - Every resulting total an event carries equals the pool or position account afterwards,
//!   and every before/after pair it names (old APR, old limits, old admin) matches.
//! - The token flows the events report add up to the vault's and the reward vault's actual
//!   balance changes, and to the change in lent principal.
use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountDeserialize, Discriminator};
use base64::Engine;
use solana_account::Account;
use stakepool_client::{accounts, pda};
use staking_pool::events::*;
use staking_pool::state::{CancelReason, Change, ChangeKind, Pool, Position};

pub(super) type Accounts = HashMap<Pubkey, Account>;

/// `enum $enum` over the listed event types and `fn $decode(bytes)`: `None` for an event of
/// another kind, an error naming a listed event whose body does not decode.
macro_rules! events_enum {
    ($enum:ident, $decode:ident; $($name:ident),* $(,)?) => {
        #[allow(clippy::large_enum_variant)]
        enum $enum {
            $($name($name),)*
        }

        fn $decode(bytes: &[u8]) -> Option<Result<$enum, String>> {
            $(
                if let Some(body) = bytes.strip_prefix($name::DISCRIMINATOR) {
                    return Some(
                        <$name as anchor_lang::AnchorDeserialize>::deserialize(&mut &body[..])
                            .map($enum::$name)
                            .map_err(|e| {
                                format!("a {} event does not decode: {e}", stringify!($name))
                            }),
                    );
                }
            )*
            None
        }
    };
}

pub(crate) use events_enum;

events_enum!(
    Event, decode_pool_event;
    PoolInitialized,
    RewardsFunded,
    PositionOpened,
    Deposited,
    Withdrawn,
    UnbondRequested,
    Claimed,
    Compounded,
    PositionClosed,
    AprChanged,
    ParamsChanged,
    PauseChanged,
    AdminTransferStarted,
    AdminTransferAccepted,
    LendingMarketSet,
    Rebalanced,
    Harvested,
    RecalledAll,
    LendingCostCovered,
    ChangeProposed,
    ChangeExecuted,
    ChangeCancelled,
    LossRecognised,
    WithdrawnInKind,
);

/// The events `decode` knows in `logs`, in the order emitted, and those that did not decode.
pub(super) fn decode_all<E>(
    logs: &[String],
    decode: fn(&[u8]) -> Option<Result<E, String>>,
) -> (Vec<E>, Vec<String>) {
    let mut problems = Vec::new();
    let mut events = Vec::new();
    for line in logs {
        let Some(data) = line.strip_prefix("Program data: ") else {
            continue;
        };
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data) else {
            problems.push(format!("event data is not base64: {data}"));
            continue;
        };
        match decode(&bytes) {
            Some(Ok(event)) => events.push(event),
            Some(Err(problem)) => problems.push(problem),
            None => {}
        }
    }
    (events, problems)
}

pub(super) fn anchor<T: AccountDeserialize>(accounts: &Accounts, address: &Pubkey) -> Option<T> {
    T::try_deserialize(&mut accounts.get(address)?.data.as_slice()).ok()
}

pub(super) fn token(accounts: &Accounts, address: &Pubkey) -> i128 {
    accounts
        .get(address)
        .and_then(|account| accounts::token_amount(&account.data).ok())
        .map_or(0, i128::from)
}

/// Collects mismatches: `expect(what, reported, actual)`.
#[derive(Default)]
pub(super) struct Audit {
    pub(super) problems: Vec<String>,
}

impl Audit {
    pub(super) fn expect<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: &str,
        reported: T,
        actual: T,
    ) {
        if reported != actual {
            self.problems.push(format!(
                "{what}: the event reports {reported:?}, the accounts say {actual:?}"
            ));
        }
    }
}

/// Token flows the events claim, summed over one instruction.
#[derive(Default)]
struct Flows {
    vault: i128,
    reward_vault: i128,
    lent_principal: i128,
}

/// Whether any account of the instruction changed (appeared, went, or differs).
pub(super) fn changed(before: &Accounts, after: &Accounts) -> bool {
    after.len() != before.len()
        || after
            .iter()
            .any(|(address, account)| before.get(address) != Some(account))
}

/// Audits one successful pool instruction; returns what its events got wrong.
pub(super) fn check(logs: &[String], before: &Accounts, after: &Accounts, now: i64) -> Vec<String> {
    let mut audit = Audit::default();
    let (events, problems) = decode_all(logs, decode_pool_event);
    audit.problems.extend(problems);
    if changed(before, after) && events.is_empty() {
        audit
            .problems
            .push("accounts changed but no event was emitted".into());
    }
    let mut flows: HashMap<Pubkey, Flows> = HashMap::new();
    for event in &events {
        let pool_key = pool_of(event);
        let (Some(pool), old) = (
            anchor::<Pool>(after, &pool_key),
            anchor::<Pool>(before, &pool_key),
        ) else {
            audit.problems.push(format!(
                "an event names pool {pool_key}, not an account afterwards"
            ));
            continue;
        };
        // (A prefunded address the pool is created at is a system account: not a pool yet.)
        let was_a_pool = before
            .get(&pool_key)
            .is_some_and(|account| account.owner == staking_pool::ID);
        if old.is_none() && was_a_pool {
            audit.problems.push(format!(
                "pool {pool_key} did not decode before the instruction"
            ));
        }
        let flow = flows.entry(pool_key).or_default();
        let position = |owner: &Pubkey| pda::position(&pool_key, owner).0;
        let accounts = Afterwards { after, position };
        audit_one(&mut audit, event, &pool, old.as_ref(), &accounts, flow, now);
    }
    for pool_key in flows.keys() {
        audit_proposals(&mut audit, &events, before, after, pool_key);
    }
    for (pool_key, flow) in flows {
        let Some(pool) = anchor::<Pool>(after, &pool_key) else {
            continue;
        };
        // A pool created by this instruction had nothing lent before.
        let old_lent = anchor::<Pool>(before, &pool_key).map_or(0, |old| old.lent_principal);
        let delta = |address: &Pubkey| token(after, address) - token(before, address);
        audit.expect("vault balance change", flow.vault, delta(&pool.vault));
        audit.expect(
            "reward vault balance change",
            flow.reward_vault,
            delta(&pool.reward_vault),
        );
        audit.expect(
            "lent principal change",
            flow.lent_principal,
            i128::from(pool.lent_principal) - i128::from(old_lent),
        );
    }
    audit.problems
}

/// Every proposal that left the pool's pending changes, or whose window moved, was reported
/// (`ChangeExecuted` or `ChangeCancelled`), and every one that appeared was announced
/// (`ChangeProposed` with its window): nothing about a proposal changes silently.
fn audit_proposals(
    audit: &mut Audit,
    events: &[Event],
    before: &Accounts,
    after: &Accounts,
    pool_key: &Pubkey,
) {
    let (Some(old), Some(new)) = (
        anchor::<Pool>(before, pool_key),
        anchor::<Pool>(after, pool_key),
    ) else {
        return;
    };
    for kind in ChangeKind::ALL {
        let (was, is) = (old.pending_change(kind), new.pending_change(kind));
        if was == is {
            continue;
        }
        if let Some((change, _, _)) = was {
            let reported = events.iter().any(|event| match event {
                Event::ChangeExecuted(e) => e.pool == *pool_key && e.change == change,
                Event::ChangeCancelled(e) => e.pool == *pool_key && e.change == change,
                _ => false,
            });
            audit.expect(
                "a proposal that left the pending changes was reported",
                (kind, true),
                (kind, reported),
            );
        }
        if let Some((change, at, until)) = is {
            let announced = events.iter().any(|event| {
                matches!(event, Event::ChangeProposed(e) if e.pool == *pool_key
                    && (e.change, e.executable_at, e.lapses_at) == (change, at, until))
            });
            audit.expect(
                "a new pending proposal was announced with its window",
                (kind, true),
                (kind, announced),
            );
        }
    }
}

fn pool_of(event: &Event) -> Pubkey {
    match event {
        Event::PoolInitialized(e) => e.pool,
        Event::RewardsFunded(e) => e.pool,
        Event::PositionOpened(e) => e.pool,
        Event::Deposited(e) => e.pool,
        Event::Withdrawn(e) => e.pool,
        Event::UnbondRequested(e) => e.pool,
        Event::Claimed(e) => e.pool,
        Event::Compounded(e) => e.pool,
        Event::PositionClosed(e) => e.pool,
        Event::AprChanged(e) => e.pool,
        Event::ParamsChanged(e) => e.pool,
        Event::PauseChanged(e) => e.pool,
        Event::AdminTransferStarted(e) => e.pool,
        Event::AdminTransferAccepted(e) => e.pool,
        Event::LendingMarketSet(e) => e.pool,
        Event::Rebalanced(e) => e.pool,
        Event::Harvested(e) => e.pool,
        Event::RecalledAll(e) => e.pool,
        Event::LendingCostCovered(e) => e.pool,
        Event::ChangeProposed(e) => e.pool,
        Event::ChangeExecuted(e) => e.pool,
        Event::ChangeCancelled(e) => e.pool,
        Event::LossRecognised(e) => e.pool,
        Event::WithdrawnInKind(e) => e.pool,
    }
}

/// The accounts after the instruction, and where an owner's position of this pool lives.
struct Afterwards<'a, F: Fn(&Pubkey) -> Pubkey> {
    after: &'a Accounts,
    position: F,
}

impl<F: Fn(&Pubkey) -> Pubkey> Afterwards<'_, F> {
    /// `owner`'s position afterwards; `None` when it is absent or does not decode (the
    /// checks that need it then fail, naming what they expected).
    fn position(&self, owner: &Pubkey) -> Option<Position> {
        anchor::<Position>(self.after, &(self.position)(owner))
    }

    /// Whether `owner`'s position account is gone (no lamports) afterwards.
    fn position_gone(&self, owner: &Pubkey) -> bool {
        !self.after.contains_key(&(self.position)(owner))
    }
}

/// What a position's earning and unbonding shares are worth, in base units.
fn worth(pool: &Pool, position: &Position) -> (u64, u64) {
    (
        pool.principal_value(position.staked_shares),
        pool.principal_value(position.unbonding_shares),
    )
}

/// Whether the shares that left the pool between `old` and `pool` were worth `amount` at the
/// index afterwards: exactly until a loss, and within a base unit per bucket (unbonding,
/// earning) of rounding up the shares taken after one.
fn principal_taken(old: &Pool, pool: &Pool, amount: u64) -> bool {
    let shares = |p: &Pool| p.total_staked_shares + p.total_unbonding_shares;
    let taken = pool.principal_value(shares(old)) - pool.principal_value(shares(pool));
    let slack = 2 * u64::from(pool.principal_index() != staking_pool::constants::SCALE);
    taken >= amount && taken <= amount + slack
}

/// One event against the pool (and position) afterwards; adds its token flows to `flow`.
fn audit_one<F: Fn(&Pubkey) -> Pubkey>(
    audit: &mut Audit,
    event: &Event,
    pool: &Pool,
    old: Option<&Pool>,
    accounts: &Afterwards<'_, F>,
    flow: &mut Flows,
    now: i64,
) {
    let wide = i128::from;
    let position = |owner: &Pubkey| accounts.position(owner);
    match event {
        Event::PoolInitialized(e) => {
            audit.expect("PoolInitialized: creator", e.creator, pool.creator);
            audit.expect("PoolInitialized: pool id", e.pool_id, pool.pool_id);
            audit.expect("PoolInitialized: mint", e.stake_mint, pool.stake_mint);
            audit.expect("PoolInitialized: APR", e.apr_bps, pool.apr_bps);
            audit.expect("PoolInitialized: limits", e.limits, pool.limits());
        }
        Event::RewardsFunded(e) => {
            flow.reward_vault += wide(e.amount);
            audit.expect(
                "RewardsFunded: total funded",
                e.total_rewards_funded,
                pool.total_rewards_funded,
            );
            audit.expect(
                "RewardsFunded: reward balance",
                Some(e.reward_balance),
                pool.reward_balance(),
            );
            audit.expect(
                "RewardsFunded: liability",
                e.liability,
                pool.liability_units(),
            );
        }
        Event::PositionOpened(e) => {
            let opened = position(&e.owner);
            audit.expect(
                "PositionOpened: position address",
                e.position,
                pda::position(&e.pool, &e.owner).0,
            );
            audit.expect(
                "PositionOpened: position exists for its owner and pool",
                Some((e.owner, e.pool)),
                opened.map(|p| (p.owner, p.pool)),
            );
        }
        Event::Deposited(e) => {
            flow.vault += wide(e.amount);
            audit.expect(
                "Deposited: total staked",
                e.total_staked,
                pool.total_staked(),
            );
            audit.expect(
                "Deposited: position staked",
                Some(e.position_staked),
                position(&e.owner).map(|p| pool.principal_value(p.staked_shares)),
            );
            if let Some(old) = old {
                audit.expect(
                    "Deposited: shares added to total staked",
                    wide(e.shares),
                    wide(pool.total_staked_shares) - wide(old.total_staked_shares),
                );
            }
        }
        Event::Withdrawn(e) => {
            flow.vault += wide(e.recalled) - wide(e.paid);
            flow.lent_principal -= wide(e.recalled) + wide(e.recall_cost);
            audit.expect(
                "Withdrawn: paid + recall cost",
                e.amount,
                e.paid + e.recall_cost,
            );
            audit.expect(
                "Withdrawn: total staked",
                e.total_staked,
                pool.total_staked(),
            );
            audit.expect(
                "Withdrawn: total unbonding",
                e.total_unbonding,
                pool.total_unbonding(),
            );
            audit.expect(
                "Withdrawn: position",
                Some((e.position_staked, e.position_unbonding)),
                position(&e.owner).map(|p| worth(pool, &p)),
            );
            if let Some(old) = old {
                audit.expect(
                    "Withdrawn: amount taken from principal",
                    true,
                    principal_taken(old, pool, e.amount),
                );
            }
        }
        Event::UnbondRequested(e) => {
            audit.expect(
                "UnbondRequested: total unbonding",
                e.total_unbonding,
                pool.total_unbonding(),
            );
            audit.expect(
                "UnbondRequested: position",
                Some((e.position_unbonding, e.unlock_ts)),
                position(&e.owner).map(|p| (pool.principal_value(p.unbonding_shares), p.unlock_ts)),
            );
            if let Some(old) = old {
                audit.expect(
                    "UnbondRequested: shares moved to unbonding",
                    wide(e.shares),
                    wide(pool.total_unbonding_shares) - wide(old.total_unbonding_shares),
                );
            }
        }
        Event::Claimed(e) => {
            flow.reward_vault -= wide(e.amount);
            audit.expect(
                "Claimed: total paid",
                e.total_rewards_paid,
                pool.total_rewards_paid,
            );
            audit.expect(
                "Claimed: still owed",
                Some(e.still_owed),
                position(&e.owner).map(|p| p.owed_units()),
            );
        }
        Event::Compounded(e) => {
            flow.reward_vault -= wide(e.amount);
            flow.vault += wide(e.amount);
            audit.expect(
                "Compounded: total staked",
                e.total_staked,
                pool.total_staked(),
            );
            audit.expect(
                "Compounded: position",
                Some((e.position_staked, e.still_owed)),
                position(&e.owner).map(|p| (pool.principal_value(p.staked_shares), p.owed_units())),
            );
        }
        Event::PositionClosed(e) => {
            audit.expect(
                "PositionClosed: position account gone",
                true,
                accounts.position_gone(&e.owner),
            );
        }
        Event::AprChanged(e) => {
            audit.expect("AprChanged: new APR", e.new_apr_bps, pool.apr_bps);
            audit.expect(
                "AprChanged: checkpoint",
                (e.index_checkpoint, e.checkpoint_ts),
                (pool.index_checkpoint.get(), pool.checkpoint_ts),
            );
            audit.expect("AprChanged: checkpoint time", e.checkpoint_ts, now);
            if let Some(old) = old {
                audit.expect("AprChanged: old APR", e.old_apr_bps, old.apr_bps);
            }
        }
        Event::ParamsChanged(e) => {
            audit.expect("ParamsChanged: new limits", e.new, pool.limits());
            if let Some(old) = old {
                audit.expect("ParamsChanged: old limits", e.old, old.limits());
            }
        }
        Event::PauseChanged(e) => audit.expect("PauseChanged: paused", e.paused, pool.is_paused()),
        Event::AdminTransferStarted(e) => audit.expect(
            "AdminTransferStarted: admins",
            (e.admin, e.pending_admin),
            (pool.admin, pool.pending_admin),
        ),
        Event::AdminTransferAccepted(e) => {
            audit.expect("AdminTransferAccepted: new admin", e.new_admin, pool.admin);
            if let Some(old) = old {
                audit.expect("AdminTransferAccepted: old admin", e.old_admin, old.admin);
            }
        }
        Event::LendingMarketSet(e) => {
            audit.expect("LendingMarketSet: market", e.market, pool.lending_market);
        }
        Event::Rebalanced(e) => {
            flow.vault -= e.lent_delta;
            flow.lent_principal += e.lent_delta;
            audit.expect(
                "Rebalanced: lent principal",
                e.lent_principal,
                pool.lent_principal,
            );
            audit.expect(
                "Rebalanced: idle principal",
                Some(e.idle_principal),
                pool.idle_principal(),
            );
        }
        Event::Harvested(e) => {
            flow.reward_vault += wide(e.amount);
            audit.expect(
                "Harvested: total harvested",
                e.total_interest_harvested,
                pool.total_interest_harvested,
            );
            audit.expect(
                "Harvested: lent principal",
                e.lent_principal,
                pool.lent_principal,
            );
        }
        Event::RecalledAll(e) => {
            flow.vault += wide(e.principal);
            flow.reward_vault += wide(e.interest);
            flow.lent_principal -= wide(e.principal);
            audit.expect(
                "RecalledAll: lent principal",
                e.lent_principal,
                pool.lent_principal,
            );
        }
        Event::LendingCostCovered(e) => {
            flow.vault += wide(e.amount);
            flow.reward_vault -= wide(e.amount);
            flow.lent_principal -= wide(e.amount);
            audit.expect(
                "LendingCostCovered: total costs",
                e.total_lending_costs,
                pool.total_lending_costs,
            );
        }
        Event::LossRecognised(e) => {
            flow.lent_principal -= wide(e.loss);
            // Principal figures are the event's moment; the instruction moves principal after.
            audit.expect(
                "LossRecognised: principal after is before less the loss",
                Some(e.principal_after),
                e.principal_before.checked_sub(e.loss),
            );
            audit.expect(
                "LossRecognised: principal index",
                e.principal_index,
                pool.principal_index(),
            );
            audit.expect(
                "LossRecognised: total losses",
                e.total_losses,
                pool.total_losses,
            );
            if let Some(old) = old {
                audit.expect(
                    "LossRecognised: principal before",
                    Some(e.principal_before),
                    old.total_principal(),
                );
            }
        }
        Event::WithdrawnInKind(e) => {
            flow.vault -= wide(e.in_tokens);
            flow.lent_principal -= wide(e.in_kind);
            audit.expect(
                "WithdrawnInKind: tokens + in kind",
                e.amount,
                e.in_tokens + e.in_kind,
            );
            audit.expect(
                "WithdrawnInKind: position",
                Some((e.position_staked, e.position_unbonding)),
                position(&e.owner).map(|p| worth(pool, &p)),
            );
            if let Some(old) = old {
                audit.expect(
                    "WithdrawnInKind: amount taken from principal",
                    true,
                    principal_taken(old, pool, e.amount),
                );
            }
        }
        Event::ChangeProposed(e) => {
            let pending = pool.pending_change(e.change.kind());
            audit.expect(
                "ChangeProposed: pending change and window",
                Some((e.change, e.executable_at, e.lapses_at)),
                pending,
            );
            if let Change::LendingMarket(_) = e.change {
                audit.expect(
                    "ChangeProposed: market authority",
                    e.market_authority,
                    pool.pending.lending_market_authority,
                );
            }
        }
        Event::ChangeExecuted(ChangeExecuted { change, .. })
        | Event::ChangeCancelled(ChangeCancelled { change, .. }) => {
            // Executed or cancelled, the announcement is gone (unless a new proposal of its
            // kind replaced it), and it was this one.
            let replaced = matches!(
                event,
                Event::ChangeCancelled(ChangeCancelled {
                    reason: CancelReason::Replaced,
                    ..
                })
            );
            if !replaced {
                audit.expect(
                    "ChangeExecuted/ChangeCancelled: no longer pending",
                    None,
                    pool.pending_change(change.kind()),
                );
            }
            if let Some(old) = old {
                audit.expect(
                    "ChangeExecuted/ChangeCancelled: was the pending change",
                    Some(*change),
                    old.pending_change(change.kind())
                        .map(|(pending, _, _)| pending),
                );
            }
        }
    }
}
